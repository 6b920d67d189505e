"""The legal query purposes of 《厦门市公共信用信息管理办法》 (查询事由), read from ``data/query_purposes.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from django.conf import settings


@dataclass(frozen=True)
class Purpose:
    code: str
    name: str
    source: str


@cache
def purposes() -> dict[str, Purpose]:
    document = yaml.safe_load((settings.DATA_DIR / "query_purposes.yaml").read_text(encoding="utf-8"))
    return {p["code"]: Purpose(p["code"], p["name"], p["source"]) for p in document["purposes"]}
