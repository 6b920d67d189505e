"""What makes a measure apply (触发条件): the shape of a trigger, checked when the catalogue is seeded or
edited, and the question "does this standing entry meet it?".

A trigger is ``{kind, field?, values?, severity?, within_months?}``: an entry of the record kind ``kind``
that stands on the day of the check, whose field named ``field`` (Chinese name in the kind's schema)
holds one of ``values``, of severity ``severity``, decided within ``within_months`` months. Or it is
``{grade: [D]}``: the subject's current grade of the public credit evaluation (公共信用综合评价) is one of these.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from xinyong.catalog.models import RecordKind, Severity
from xinyong.records.publication import add_months

KEYS = {"kind", "field", "values", "severity", "within_months"}
#: The pseudo-kind of a grade trigger, and the grades there are.
GRADE, GRADES = "evaluation_grade", ("A", "B", "C", "D")


@dataclass(frozen=True)
class Trigger:
    kind: str
    field: str = ""
    values: tuple[str, ...] = ()
    severity: str = ""
    within_months: int | None = None

    @classmethod
    def of(cls, spec: dict[str, Any]) -> Trigger:
        if "grade" in spec:
            return cls(kind=GRADE, field="等级", values=tuple(spec["grade"]))
        return cls(
            kind=spec["kind"],
            field=spec.get("field", ""),
            values=tuple(spec.get("values") or ()),
            severity=spec.get("severity", ""),
            within_months=spec.get("within_months"),
        )

    def earliest(self, on: dt.date) -> dt.date | None:
        """The first decision date this trigger accepts on ``on`` (None: any)."""
        if self.within_months is None:
            return None
        return add_months(on, -self.within_months)

    def describe(self, kind_name: str) -> str:
        text = kind_name
        if self.values:
            text += f"（{self.field}：{'、'.join(self.values)}）"
        if self.severity:
            text += f"（{Severity(self.severity).label}）"
        if self.within_months:
            text += f"（{self.within_months}个月内）"
        return text


def check_triggers(specs: Any, *, where: str) -> None:
    """Refuses a trigger list that names an unknown kind, field or key (a typo must not silently match
    nothing). Raises ``ValidationError`` with a Chinese message."""
    if not isinstance(specs, list) or not specs:
        raise ValidationError(f"{where}：触发条件须为非空列表")
    kinds = {k.code: k for k in RecordKind.objects.all()}
    for spec in specs:
        if isinstance(spec, dict) and set(spec) == {"grade"}:
            if not spec["grade"] or not set(spec["grade"]) <= set(GRADES):
                raise ValidationError(f"{where}：评价等级须为 {'、'.join(GRADES)} 中的一个或几个")
            continue
        if not isinstance(spec, dict) or not set(spec) <= KEYS or "kind" not in spec:
            raise ValidationError(f"{where}：触发条件 {spec!r} 格式不正确，可用键为 {sorted(KEYS)}")
        kind = kinds.get(spec["kind"])
        if kind is None:
            raise ValidationError(f"{where}：目录中没有信息事项 {spec['kind']}")
        if spec.get("values") and spec.get("field") not in {f["name"] for f in kind.schema}:
            raise ValidationError(f"{where}：信息事项 {kind.name} 没有字段 {spec.get('field')}")
        if spec.get("severity", "") not in {"", *Severity.values}:
            raise ValidationError(f"{where}：严重程度 {spec['severity']} 无效")
