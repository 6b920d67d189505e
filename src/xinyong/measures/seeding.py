"""Seed the measure catalogue from ``data/measures/catalogue.yaml`` after every ``migrate``.

Additive and idempotent like the record-kind catalogue (``catalog.seeding``): a scenario is added when
its code is new, a measure when its (code, version) is new; existing rows are never overwritten, so
staff edits in the admin survive.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from xinyong.measures.models import Measure, Scenario
from xinyong.measures.triggers import check_triggers


def catalogue_path() -> Path:
    return Path(settings.DATA_DIR) / "measures" / "catalogue.yaml"


@transaction.atomic
def seed_measures(path: Path | None = None) -> int:
    """Adds what the file has and the database lacks; returns how many rows were added."""
    document: dict[str, Any] = yaml.safe_load((path or catalogue_path()).read_text(encoding="utf-8"))
    existing = set(Scenario.objects.values_list("code", flat=True))
    new = [
        Scenario(code=s["code"], name=s["name"], purpose=s["purpose"], order=s.get("order", 0))
        for s in document["scenarios"]
        if s["code"] not in existing
    ]
    Scenario.objects.bulk_create(new)
    scenarios = {s.code: s for s in Scenario.objects.all()}
    have = set(Measure.objects.values_list("code", "version"))
    measures = []
    for entry in document["measures"]:
        if (entry["code"], entry["version"]) in have:
            continue
        check_triggers(entry["triggers"], where=entry["code"])
        measures.append(
            Measure(
                code=entry["code"],
                version=entry["version"],
                effective_from=entry["effective_from"],
                effective_to=entry.get("effective_to"),
                scenario=scenarios[entry["scenario"]],
                direction=entry["direction"],
                kind=entry["action"],
                name=entry["name"],
                instruction=entry["instruction"],
                triggers=entry["triggers"],
                extends_to_persons=entry.get("extends_to_persons", False),
                person_roles=entry.get("person_roles", []),
                basis=entry["basis"],
                national_item=entry.get("national_item", ""),
                note=entry.get("note", ""),
            )
        )
    Measure.objects.bulk_create(measures)
    return len(new) + len(measures)
