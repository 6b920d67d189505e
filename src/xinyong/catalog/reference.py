"""Code lists and the never-collected field names, read from ``data/catalogue/`` (cached per process)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from django.conf import settings


@dataclass(frozen=True)
class CodeList:
    key: str
    name: str
    values: tuple[str, ...]  # in the code list's own order
    aliases: dict[str, str]

    def canonical(self, value: str) -> str | None:
        if value in self.values:
            return value
        return self.aliases.get(value)

    def position(self, value: str) -> int:
        return self.values.index(value)


@cache
def codelists() -> dict[str, CodeList]:
    path = settings.DATA_DIR / "catalogue" / "codelists.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))["codelists"]
    return {
        key: CodeList(key, spec["name"], tuple(spec["values"]), dict(spec.get("aliases") or {}))
        for key, spec in document.items()
    }


@dataclass(frozen=True)
class ForbiddenFields:
    never_collected: tuple[str, ...]
    consent_required: tuple[str, ...]


@cache
def forbidden_fields() -> ForbiddenFields:
    path = settings.DATA_DIR / "catalogue" / "forbidden_fields.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ForbiddenFields(
        tuple(document["never_collected"]["names"]), tuple(document["consent_required"]["names"])
    )
