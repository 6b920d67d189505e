"""Rules with numbers, loaded from the effective-dated YAML files in ``rulebook/``.

A rule is identified by ``id`` and ``version``; versions of one id must not overlap in time. Code asks
for the version in force on a date and stores the id and version beside every decision it makes, so the
platform can explain itself and replay history (ARCHITECTURE principle 4). See docs/rulebook.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings


@dataclass(frozen=True)
class Rule:
    id: str
    version: int
    effective_from: dt.date
    effective_to: dt.date | None  # inclusive; None means still in force
    value: Any
    unit: str
    source: str
    note: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def ref(self) -> str:
        """How a decision records the rule it applied: ``id@version``."""
        return f"{self.id}@{self.version}"


class RulebookError(ValueError):
    pass


class NoRuleInForce(LookupError):
    pass


def _parse(path: Path) -> list[Rule]:
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules = []
    for raw in document.get("rules", []):
        missing = {"id", "version", "effective_from", "value", "unit", "source"} - raw.keys()
        if missing:
            raise RulebookError(f"{path.name}: rule {raw.get('id')!r} lacks {sorted(missing)}")
        rules.append(
            Rule(
                id=raw["id"],
                version=int(raw["version"]),
                effective_from=raw["effective_from"],
                effective_to=raw.get("effective_to"),
                value=raw["value"],
                unit=raw["unit"],
                source=raw["source"],
                note=raw.get("note", ""),
            )
        )
    return rules


def load(directory: Path) -> dict[str, list[Rule]]:
    """Every rule in ``directory``'s YAML files (not the ``calendar/`` data), checked for overlaps."""
    by_id: dict[str, list[Rule]] = {}
    for path in sorted(directory.glob("*.yaml")):
        for rule in _parse(path):
            by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r.effective_from)
        for earlier, later in itertools.pairwise(versions):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise RulebookError(f"{rule_id}: versions {earlier.version} and {later.version} overlap")
    return by_id


@cache
def _rulebook() -> dict[str, list[Rule]]:
    return load(settings.RULEBOOK_DIR)


def rule(rule_id: str, on: dt.date) -> Rule:
    """The version of ``rule_id`` in force on ``on``; raises ``NoRuleInForce`` if none is."""
    for candidate in _rulebook().get(rule_id, []):
        if candidate.in_force_on(on):
            return candidate
    raise NoRuleInForce(f"no version of rule {rule_id} is in force on {on}")


def rule_or_none(rule_id: str, on: dt.date) -> Rule | None:
    try:
        return rule(rule_id, on)
    except NoRuleInForce:
        return None
