"""Rules with numbers, loaded from the effective-dated YAML files in ``rulebook/``.

A rule is identified by ``id`` and ``version``; versions of one id must not overlap in time. Code asks
for the version in force on a date and stores the id and version beside every decision it makes, so the
platform can explain itself and replay history (docs/architecture.md, principle 4). See docs/rulebook.md.

Every rule id has a schema: the app that reads the rule declares a ``Spec`` (id and value type, a
pydantic model for a mapping) in its ``rules.py``. The rulebook is loaded and every version checked
against its schema when the platform starts (``CoreConfig.ready``), so a typo in a YAML file stops
the start, not the day the rule is first read; code reads typed values (``DEADLINES.on(day).value.overall``).
Tests swap a value with ``override``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

import yaml
from django.conf import settings
from django.utils.module_loading import autodiscover_modules
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

T = TypeVar("T")


@dataclass(frozen=True)
class Rule(Generic[T]):
    id: str
    version: int
    effective_from: dt.date
    effective_to: dt.date | None  # inclusive; None means still in force
    value: T
    unit: str
    source: str
    note: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def ref(self) -> str:
        """How a decision records the rule it applied: ``id@version``."""
        return f"{self.id}@{self.version}"

    @property
    def citation(self) -> str:
        """The document this version applies, by its official title, for people to read: the first one
        its ``source`` cites (《厦门市公共信用信息管理办法》, 厦信用办〔2024〕1号, 国家发展改革委令第58号《…》);
        a rule the platform set itself (a source that cites none) reads 本平台办理规则."""
        found = _CITATION.search(self.source)
        return found.group(0) if found else "本平台办理规则"


_ARTICLE = r"(?:第[〇零一二三四五六七八九十百]+条)?"
#: What a source cites, leftmost first: an order with its title, a titled document (and its
#: interpretation or article), or a numbered document (发文字号 such as 厦信用办〔2024〕1号).
_CITATION = re.compile(
    rf"国家发展改革委令第\d+号《[^》]+》{_ARTICLE}|《[^》]+》(?:解读)?{_ARTICLE}|[\u4e00-\u9fff]+〔\d{{4}}〕\d+号"
)


class RulebookError(ValueError):
    pass


class NoRuleInForce(LookupError):
    pass


class Schema(BaseModel):
    """A rule value that is a mapping: unknown keys are refused, so a misspelt key fails at load."""

    model_config = ConfigDict(extra="forbid", frozen=True)


#: Every declared rule id with its spec; filled as the apps' ``rules.py`` modules are imported.
SPECS: dict[str, Spec[Any]] = {}


class Spec(Generic[T]):
    """A rule id and the type of its value (a ``Schema`` model, ``int``, ``bool``, ``dt.date``, a ``StrEnum``,
    a list or dict of those). Declared once, in the ``rules.py`` of the app that reads the rule."""

    def __init__(self, rule_id: str, schema: type[T]) -> None:
        if rule_id in SPECS:
            raise RulebookError(f"rule {rule_id} declared twice")
        self.id = rule_id
        self.adapter: TypeAdapter[T] = TypeAdapter(schema)
        SPECS[rule_id] = self

    def on(self, day: dt.date) -> Rule[T]:
        """The version in force on ``day``; raises ``NoRuleInForce`` if none is."""
        return rule(self, day)

    def on_or_none(self, day: dt.date) -> Rule[T] | None:
        return rule_or_none(self, day)

    def validate(self, raw: object) -> T:
        return self.adapter.validate_python(raw)


def _parse(path: Path) -> list[Rule[Any]]:
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


def _typed(path: Path, raw: Rule[Any], specs: dict[str, Spec[Any]]) -> Rule[Any]:
    spec = specs.get(raw.id)
    if spec is None:
        raise RulebookError(
            f"{path.name}: rule {raw.id!r} has no schema (declare a Spec in the rules.py of its app)"
        )
    try:
        return dataclasses.replace(raw, value=spec.validate(raw.value))
    except ValidationError as error:
        raise RulebookError(f"{path.name}: rule {raw.ref} does not fit its schema:\n{error}") from error


def load(directory: Path, specs: dict[str, Spec[Any]] | None = None) -> dict[str, list[Rule[Any]]]:
    """Every rule in ``directory``'s YAML files (not the ``calendar/`` data), checked for overlaps and,
    when ``specs`` are given, each value checked against (and converted to) its rule's schema."""
    by_id: dict[str, list[Rule[Any]]] = {}
    for path in sorted(directory.glob("*.yaml")):
        for rule in _parse(path):
            if specs is not None:
                rule = _typed(path, rule, specs)
            by_id.setdefault(rule.id, []).append(rule)
    for rule_id, versions in by_id.items():
        versions.sort(key=lambda r: r.effective_from)
        for earlier, later in itertools.pairwise(versions):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                raise RulebookError(f"{rule_id}: versions {earlier.version} and {later.version} overlap")
    return by_id


@cache
def _rulebook() -> dict[str, list[Rule[Any]]]:
    autodiscover_modules("rules")  # every app's specs, without the kernel naming an app
    return load(settings.RULEBOOK_DIR, SPECS)


def check() -> None:
    """Load the rulebook now and check every version against its schema (at start-up: CoreConfig.ready)."""
    _rulebook()


#: Versions swapped in by ``override`` (tests), by rule id.
_overrides: dict[str, list[Rule[Any]]] = {}


def _versions(rule_id: str) -> list[Rule[Any]]:
    if rule_id in _overrides:
        return _overrides[rule_id]
    return _rulebook().get(rule_id, [])


def citation(ref: str) -> str:
    """The document a stored decision's rule (``id@version``) applies, for people; several refs joined
    by commas or spaces read as their distinct documents. A ref the rulebook does not know is returned
    as it is, so a wrong one shows rather than hides."""
    titles: list[str] = []
    for one in re.split(r"[,\s]+", ref.strip()):
        rule_id, _, version = one.partition("@")
        found = next((r for r in _versions(rule_id) if str(r.version) == version), None)
        title = found.citation if found else one
        if one and title not in titles:
            titles.append(title)
    return "、".join(titles)


@overload
def rule(rule_id: Spec[T], on: dt.date) -> Rule[T]: ...
@overload
def rule(rule_id: str, on: dt.date) -> Rule[Any]: ...
def rule(rule_id: Spec[Any] | str, on: dt.date) -> Rule[Any]:
    """The version of ``rule_id`` in force on ``on``; raises ``NoRuleInForce`` if none is."""
    name = rule_id if isinstance(rule_id, str) else rule_id.id
    for candidate in _versions(name):
        if candidate.in_force_on(on):
            return candidate
    raise NoRuleInForce(f"no version of rule {name} is in force on {on}")


@overload
def rule_or_none(rule_id: Spec[T], on: dt.date) -> Rule[T] | None: ...
@overload
def rule_or_none(rule_id: str, on: dt.date) -> Rule[Any] | None: ...
def rule_or_none(rule_id: Spec[Any] | str, on: dt.date) -> Rule[Any] | None:
    try:
        return rule(rule_id, on)
    except NoRuleInForce:
        return None


@contextmanager
def override(spec: Spec[T], value: T, *, from_: dt.date | None = None) -> Iterator[None]:
    """For a test: ``spec``'s rule takes ``value``. Without ``from_``, every version keeps its id, number and
    dates with the new value; with ``from_``, the version in force that day ends the day before and a new
    version (the next number) holds ``value`` from ``from_`` on, as an amendment of the rulebook would."""
    real = _versions(spec.id)
    checked = spec.validate(value)
    if from_ is None:
        swapped = [dataclasses.replace(version, value=checked) for version in real]
    else:
        kept = [v for v in real if v.effective_from < from_]
        swapped = [
            *(
                dataclasses.replace(v, effective_to=from_ - dt.timedelta(days=1))
                if v.in_force_on(from_)
                else v
                for v in kept
            ),
            Rule(
                spec.id,
                max((v.version for v in real), default=0) + 1,
                from_,
                None,
                checked,
                real[-1].unit if real else "",
                "test override",
            ),
        ]
    if not swapped:
        raise NoRuleInForce(f"rule {spec.id} has no version to override")
    previous = _overrides.get(spec.id)
    _overrides[spec.id] = swapped
    try:
        yield
    finally:
        if previous is None:
            del _overrides[spec.id]
        else:
            _overrides[spec.id] = previous
