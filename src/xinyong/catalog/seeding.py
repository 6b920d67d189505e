"""Seed the catalogue and calendar from the repository's data files after every ``migrate``.

Idempotent and additive: rows that exist (by natural key) are never overwritten, so edits made by
staff in the admin survive; a new kind version in the files becomes a new row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from xinyong.catalog.models import Domain, RecordKind
from xinyong.core.seeding import load_calendar


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_domains(path: Path) -> int:
    existing = set(Domain.objects.values_list("number", flat=True))
    new = [Domain(**entry) for entry in _yaml(path)["domains"] if entry["number"] not in existing]
    Domain.objects.bulk_create(new)
    return len(new)


def load_kinds(directory: Path) -> int:
    added = 0
    domains = {d.code: d for d in Domain.objects.all()}
    for path in sorted(directory.glob("*.yaml")):
        doc = _yaml(path)
        if RecordKind.objects.filter(code=doc["code"], version=doc["version"]).exists():
            continue
        RecordKind.objects.create(
            code=doc["code"],
            version=doc["version"],
            effective_from=doc["effective_from"],
            effective_to=doc.get("effective_to"),
            name=doc["name"],
            category=doc["category"],
            severity=doc.get("severity", "none"),
            report_domain=domains[doc["report_domain"]] if doc.get("report_domain") else None,
            key_field=doc["key_field"],
            decision_date_field=doc["decision_date_field"],
            subject_fields=doc["subject_fields"],
            schema=doc["fields"],
            is_violation=doc.get("is_violation", False),
            is_dual_publicity=doc.get("is_dual_publicity", False),
            source=doc["source"],
        )
        added += 1
    return added


def seed_reference_data() -> None:
    with transaction.atomic():
        load_calendar(settings.RULEBOOK_DIR / "calendar")
        load_domains(settings.DATA_DIR / "catalogue" / "domains.yaml")
        load_kinds(settings.DATA_DIR / "catalogue" / "kinds")


def seed_after_migrate(**kwargs: Any) -> None:
    seed_reference_data()
