"""The one validation pipeline for every intake path (API, CSV, XLSX, JSON Lines).

``IntakeContext`` is compiled once per call or file (kind schema, code lists, the provider's domains,
today's date); ``validate_row`` then turns one submitted mapping into a ``ValidRow`` or a list of
``RowError``s. It touches no database, so it is cheap and easy to test.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from xinyong.catalog.models import Domain, Provider, RecordKind
from xinyong.catalog.reference import codelists, forbidden_fields
from xinyong.collection import errors
from xinyong.core.errors import ErrorCode
from xinyong.records.rules import AMOUNT_RANGE
from xinyong.subjects.codes import (
    NO_USCC_PLACEHOLDER,
    CodeProblem,
    normalise,
    resident_id_problem,
    uscc_problem,
)
from xinyong.subjects.models import Subject

#: Headers departments' exports carry that are not data (row counters); ignored everywhere.
IGNORED_HEADERS = frozenset({"序号", "行号", "编号序列"})
#: The optional domain column for providers that report one kind in several domains.
DOMAIN_HEADERS = frozenset({"领域", "ly", "ly_dm", "领域代码"})

SUBJECT_CATEGORY = {
    "法人及非法人组织": Subject.Kind.ORGANISATION,
    "个体工商户": Subject.Kind.INDIVIDUAL_BUSINESS,
    "自然人": Subject.Kind.PERSON,
}
RESIDENT_ID_TYPES = frozenset({"身份证"})
SIMPLIFIED_PROCEDURE = "简易程序"
DEFAULT_MAX_LENGTH = 500
#: The longest header or parameter echoed in an error message (field and message columns are bounded).
_ECHO_CHARS = 80

#: What text may not hold: lone UTF-16 surrogates (also what undecodable file bytes become) and the
#: control characters other than tab, line feed and carriage return (docs/security.md).
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # neither PostgreSQL text nor UTF-8 can hold them
_JSON_TYPES = {bool: "布尔值", int: "数字", float: "数字", list: "数组", dict: "对象"}
_FULLWIDTH = str.maketrans("（）：", "():")
_MULTI_SPLIT = re.compile(r"[;；,，、]")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def _echo(text: str) -> str:
    text = _SURROGATE.sub("\ufffd", text)
    return text if len(text) <= _ECHO_CHARS else text[: _ECHO_CHARS - 1] + "…"


def stored_pairs(pairs: list[list[str]]) -> list[list[str]]:
    """A submitted row as it may be stored: each header and value cut to
    ``XINYONG_MAX_STORED_VALUE_CHARS`` (with the original length said), NUL and lone surrogates as U+FFFD."""
    limit = settings.XINYONG_MAX_STORED_VALUE_CHARS

    def clean(text: str) -> str:
        if len(text) > limit:
            text = f"{text[:limit]}…（已截断，原长 {len(text)} 字符）"
        return _UNSTORABLE.sub("\ufffd", text)

    return [[clean(header), clean(value)] for header, value in pairs]


def header_key(header: str) -> str:
    """Normalised form of a column header: no BOM or blanks, half-width brackets, lower-case codes."""
    return header.replace("\ufeff", "").strip().translate(_FULLWIDTH).replace(" ", "").lower()


@dataclass(frozen=True)
class FieldSpec:
    code: str
    name: str
    type: str
    required: bool
    max_length: int
    codelist: str | None
    maximum: Decimal | None = None  # decimal fields: the range is 0..maximum, at most ``places`` decimals
    places: int | None = None


@dataclass(frozen=True)
class RowError:
    code: str
    field: str | None
    message: str

    @classmethod
    def of(cls, error: ErrorCode, field: str | None, /, **params: object) -> RowError:
        # A header or value may be megabytes long or hold unstorable characters; echo a short, clean part.
        clean = {k: _echo(v) if isinstance(v, str) else v for k, v in params.items()}
        return cls(error.code, None if field is None else _echo(field), error.format(**clean))


@dataclass(frozen=True)
class SubjectRef:
    code: str
    code_type: str
    kind: str
    name: str
    legal_representative: str
    code_problem: CodeProblem | None


@dataclass
class ValidRow:
    key: str
    decision_date: dt.date
    domain_id: int
    subject: SubjectRef
    data: dict[str, str]
    raw: list[list[str]]
    data_json: str = field(init=False)  # canonical: sorted keys, compact; stored as is
    content_hash: str = field(init=False)

    def __post_init__(self) -> None:
        self.data_json = json.dumps(self.data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        self.content_hash = hashlib.sha256(self.data_json.encode()).hexdigest()


@dataclass(frozen=True)
class Layout:
    """How a row's headers map onto the kind: (header, role, field code) per column, role being field /
    domain / ignored / unknown, and the fields (or 领域) that more than one header names."""

    columns: tuple[tuple[str, str, str], ...]
    duplicates: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class IntakeContext:
    provider: Provider
    kind: RecordKind
    today: dt.date
    fields: dict[str, FieldSpec]
    headers: dict[str, str]  # header_key(any accepted spelling) -> field code
    domains: dict[str, int]  # accepted spellings of each granted domain -> domain id
    default_domain_id: int | None
    domain_choices: str
    required: tuple[str, ...] = ()
    procedure_fields: tuple[str, ...] = ()
    # JSON sources (API, JSON Lines) send typed values: only strings (and numbers for amounts) are text.
    json_values: bool = False
    # Column layouts already resolved, by the tuple of submitted headers: a file's rows all share one.
    layouts: dict[tuple[str, ...], Layout] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls,
        provider: Provider,
        kind: RecordKind,
        granted: list[Domain],
        today: dt.date,
        *,
        json_values: bool = False,
    ) -> IntakeContext:
        fields: dict[str, FieldSpec] = {}
        headers: dict[str, str] = {}
        amounts = AMOUNT_RANGE.on(today).value
        for spec in kind.schema:
            is_amount = spec.get("type") == "decimal"
            fs = FieldSpec(
                code=spec["code"],
                name=spec["name"],
                type=spec.get("type", "text"),
                # The record's key and decision date are required whatever the schema file says.
                required=bool(spec.get("required", False))
                or spec["code"] in (kind.key_field, kind.decision_date_field),
                max_length=int(spec.get("max_length", DEFAULT_MAX_LENGTH)),
                codelist=spec.get("codelist"),
                maximum=Decimal(str(spec.get("max", amounts.max))) if is_amount else None,
                places=int(spec.get("places", amounts.places)) if is_amount else None,
            )
            fields[fs.code] = fs
            for spelling in (fs.code, fs.name, *spec.get("aliases", [])):
                headers[header_key(spelling)] = fs.code
        if kind.report_domain_id is not None:
            granted = [d for d in granted if d.id == kind.report_domain_id] or granted
        domains: dict[str, int] = {}
        for domain in granted:
            for spelling in (domain.code, str(domain.number), domain.name):
                domains[spelling] = domain.id
        default = granted[0].id if len(granted) == 1 else None
        choices = "、".join(f"{d.number} {d.name}" for d in granted)
        required = tuple(code for code, spec in fields.items() if spec.required)
        procedure = tuple(code for code, spec in fields.items() if spec.codelist == "procedure")
        return cls(
            provider,
            kind,
            today,
            fields,
            headers,
            domains,
            default,
            choices,
            required,
            procedure,
            json_values,
        )

    def layout(self, headers: tuple[str, ...]) -> Layout:
        found = self.layouts.get(headers)
        if found is None:
            columns = []
            named: dict[str, list[str]] = {}
            for header in headers:
                key = header_key(header)
                code = self.headers.get(key)
                if code is not None:
                    columns.append((header, "field", code))
                    named.setdefault(code, []).append(header)
                elif key in DOMAIN_HEADERS:
                    columns.append((header, "domain", ""))
                    named.setdefault("领域", []).append(header)
                elif key in IGNORED_HEADERS:
                    columns.append((header, "ignored", ""))
                else:
                    columns.append((header, "unknown", ""))
            duplicates = tuple((code, tuple(hs)) for code, hs in named.items() if len(hs) > 1)
            found = self.layouts[headers] = Layout(tuple(columns), duplicates)
        return found

    def label(self, code: str) -> str:
        """A field's Chinese name, for messages (``领域`` names itself)."""
        return self.fields[code].name if code in self.fields else code

    def duplicate_error(self, code: str, headers: tuple[str, ...]) -> RowError:
        return RowError.of(errors.DUPLICATE_COLUMN, code, name=self.label(code), columns="、".join(headers))

    def field_name(self, code: str) -> str:
        return self.fields[code].name


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def submitted_pairs(raw: Mapping[str, Any]) -> list[list[str]]:
    """The row as submitted, as ``[header, value]`` pairs: a list, because PostgreSQL's jsonb does not
    keep the order of object keys and the provider's column order is part of what was submitted."""
    return [[str(header), _text(value)] for header, value in raw.items()]


def parse_date(value: str) -> dt.date | None:
    if len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    text = value.strip().split(" ")[0].split("T")[0]
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
    return None


def _decimal_places(number: Decimal) -> int:
    """Decimal places without trailing zeros ("1.50" has 1), computed without a decimal context."""
    _, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


def _check_value(ctx: IntakeContext, spec: FieldSpec, value: str, problems: list[RowError]) -> str:
    """Validate one non-empty value; returns its canonical form."""
    name = spec.name
    if spec.type == "text":
        if len(value) > spec.max_length:
            problems.append(RowError.of(errors.FIELD_TOO_LONG, spec.code, name=name, limit=spec.max_length))
        return value
    if spec.type == "date":
        day = parse_date(value)
        if day is None:
            problems.append(RowError.of(errors.FIELD_DATE, spec.code, name=name, value=value))
            return value
        return day.isoformat()
    if spec.type == "decimal":
        try:
            number = Decimal(value.replace(",", ""))
        except InvalidOperation:
            number = Decimal(-1)
        if not number.is_finite() or number < 0:
            problems.append(RowError.of(errors.FIELD_DECIMAL, spec.code, name=name, value=value))
            return value
        # Checked before normalising, which would overflow on "1e999999999" and round "1e-999999999"
        # to 0, and before formatting ("1e-1000000" is a million digits).
        maximum, places = spec.maximum, spec.places
        exponent = number.as_tuple().exponent
        if (maximum is not None and number > maximum) or (
            # Most amounts have few digits after the point: count trailing zeros only when needed.
            places is not None
            and isinstance(exponent, int)
            and -exponent > places
            and _decimal_places(number) > places
        ):
            problems.append(
                RowError.of(
                    errors.FIELD_NUMBER_RANGE,
                    spec.code,
                    name=name,
                    maximum=maximum,
                    places=places,
                    value=value,
                )
            )
            return value
        return format(number.normalize(), "f")
    if spec.type in ("choice", "multichoice"):
        codelist = codelists()[spec.codelist or ""]
        parts = [p.strip() for p in _MULTI_SPLIT.split(value)] if spec.type == "multichoice" else [value]
        canonical = []
        for part in filter(None, parts):
            found = codelist.canonical(part)
            if found is None:
                problems.append(
                    RowError.of(
                        errors.FIELD_CODELIST, spec.code, name=name, value=part, codelist=codelist.name
                    )
                )
                return value
            canonical.append(found)
        # A set of values, not a sequence: "罚款;警告" and "警告；罚款" are the same decision.
        return ";".join(sorted(set(canonical), key=codelist.position))
    if spec.type == "uscc":
        code = normalise(value)
        if uscc_problem(code) is not None:
            problems.append(RowError.of(errors.AUTHORITY_CODE, spec.code, name=name, value=value))
        return code
    if len(value) > spec.max_length:
        problems.append(RowError.of(errors.FIELD_TOO_LONG, spec.code, name=name, limit=spec.max_length))
    return value


def _resolve_subject(ctx: IntakeContext, data: dict[str, str], problems: list[RowError]) -> SubjectRef | None:
    roles = ctx.kind.subject_fields
    category = data.get(roles["category"], "")
    kind = SUBJECT_CATEGORY.get(category)
    if kind is None:
        return None  # the category field itself has already been reported
    name = data.get(roles["name"], "")
    legal_rep = data.get(roles["legal_representative"], "")
    if kind == Subject.Kind.PERSON:
        id_type, id_number = data.get(roles["id_type"], ""), normalise(data.get(roles["id_number"], ""))
        if not id_type or not id_number:
            problems.append(RowError.of(errors.ID_REQUIRED, roles["id_number"]))
            return None
        data[roles["id_number"]] = id_number
        if id_type in RESIDENT_ID_TYPES:
            problem = resident_id_problem(id_number)
            if problem == CodeProblem.FORMAT:
                problems.append(RowError.of(errors.RESIDENT_ID_FORMAT, roles["id_number"]))
                return None
            return SubjectRef(id_number, Subject.CodeType.RESIDENT_ID, kind, name, "", problem)
        return SubjectRef(f"{id_type}:{id_number}", Subject.CodeType.OTHER_ID, kind, name, "", None)

    uscc_field = roles["uscc"]
    uscc = normalise(data.get(uscc_field, ""))
    if not uscc:
        problems.append(RowError.of(errors.USCC_REQUIRED, uscc_field))
        return None
    data[uscc_field] = uscc
    if kind == Subject.Kind.ORGANISATION and not legal_rep:
        problems.append(RowError.of(errors.LEGAL_REP_REQUIRED, roles["legal_representative"]))
    if uscc == NO_USCC_PLACEHOLDER:
        if kind != Subject.Kind.INDIVIDUAL_BUSINESS:
            problems.append(RowError.of(errors.PLACEHOLDER_NOT_ALLOWED, uscc_field))
            return None
        registration_no = data.get(roles["registration_no"], "")
        if not registration_no:
            problems.append(RowError.of(errors.REGISTRATION_NO_REQUIRED, roles["registration_no"]))
            return None
        return SubjectRef(registration_no, Subject.CodeType.REGISTRATION_NO, kind, name, legal_rep, None)
    problem = uscc_problem(uscc)
    if problem == CodeProblem.FORMAT:
        problems.append(RowError.of(errors.USCC_FORMAT, uscc_field, value=uscc))
        return None
    return SubjectRef(uscc, Subject.CodeType.USCC, kind, name, legal_rep, problem)


def _check_header(ctx: IntakeContext, header: str, value: str, is_person: bool) -> RowError | None:
    """A submitted column that is not in the schema: forbidden, consent-only, or simply unknown."""
    key = header_key(header)
    forbidden = forbidden_fields()
    for word in forbidden.never_collected:
        if word in key:
            return RowError.of(errors.FIELD_FORBIDDEN, header, field=header)
    for word in forbidden.consent_required:
        if word in key and is_person:
            return RowError.of(errors.FIELD_CONSENT_REQUIRED, header, field=header)
    if not value:
        return None
    return RowError.of(errors.FIELD_UNKNOWN, header, field=header)


def _bad_text(header: str, role: str, code: str, text: str) -> RowError | None:
    found = _BAD_TEXT.findall(f"{header}\n{text}")
    if not found:
        return None  # only tabs, line breaks or other non-printing text such as U+3000
    surrogate = any("\ud800" <= c <= "\udfff" for c in found)
    error = errors.FIELD_INVALID_TEXT if surrogate else errors.FIELD_CONTROL_CHARACTER
    return RowError.of(error, code if role == "field" else header, field=header)


def _longest(pairs: list[list[str]]) -> int:
    return max(map(len, itertools.chain.from_iterable(pairs)), default=0)


def _capped(problems: list[RowError]) -> list[RowError]:
    limit = settings.XINYONG_MAX_ERRORS_PER_ROW
    if len(problems) <= limit:
        return problems
    more = len(problems) - limit + 1
    return [*problems[: limit - 1], RowError.of(errors.ROW_TOO_MANY_ERRORS, None, more=more, limit=limit)]


def validate_row(ctx: IntakeContext, raw: Mapping[str, Any]) -> ValidRow | list[RowError]:
    problems: list[RowError] = []
    data: dict[str, str] = {}
    unknown: list[tuple[str, str]] = []
    domain_value = ""
    pairs = [[str(header), _text(value)] for header, value in raw.items()]
    layout = ctx.layout(tuple(h for h, _ in pairs))
    for code, named_by in layout.duplicates:
        problems.append(ctx.duplicate_error(code, named_by))
    for (header, role, code), (_, text), value in zip(layout.columns, pairs, raw.values(), strict=True):
        # isprintable() is a fast C scan; most values pass it, and only the others are searched.
        if not (text.isprintable() and header.isprintable()):
            bad = _bad_text(header, role, code, text)
            if bad is not None:
                problems.append(bad)
        if role == "field":
            if ctx.json_values and value is not None and type(value) is not str:
                spec = ctx.fields[code]
                if spec.type != "decimal" or type(value) not in (int, float):
                    json_type = _JSON_TYPES.get(type(value), type(value).__name__)
                    problems.append(
                        RowError.of(errors.FIELD_NOT_TEXT, code, name=spec.name, json_type=json_type)
                    )
                    continue
            if text:
                data[code] = text
        elif role == "domain":
            domain_value = text
        elif role == "unknown":
            unknown.append((header, text))

    is_person = data.get(ctx.kind.subject_fields["category"]) == "自然人"
    for header, text in unknown:
        problem = _check_header(ctx, header, text, is_person)
        if problem is not None:
            problems.append(problem)

    for code in ctx.required:
        if code not in data:
            problems.append(RowError.of(errors.FIELD_REQUIRED, code, name=ctx.fields[code].name))
    for code, value in data.items():
        data[code] = _check_value(ctx, ctx.fields[code], value, problems)

    decision_field = ctx.kind.decision_date_field
    decision_date = parse_date(data.get(decision_field, "")) if decision_field in data else None
    if decision_date is not None and decision_date > ctx.today:
        problems.append(
            RowError.of(
                errors.FIELD_FUTURE_DATE,
                decision_field,
                name=ctx.field_name(decision_field),
                value=decision_date.isoformat(),
            )
        )

    # Checked even when other fields failed, so a department learns every problem of a row at once.
    subject = _resolve_subject(ctx, data, problems)

    if is_person and any(data.get(code) == SIMPLIFIED_PROCEDURE for code in ctx.procedure_fields):
        problems.append(RowError.of(errors.SIMPLIFIED_PROCEDURE_PERSON, None))

    domain_id = ctx.default_domain_id
    if domain_value:
        domain_id = ctx.domains.get(domain_value)
        if domain_id is None:
            problems.append(RowError.of(errors.DOMAIN_NOT_GRANTED, "领域", value=domain_value))
    elif domain_id is None:
        problems.append(RowError.of(errors.DOMAIN_REQUIRED, "领域", choices=ctx.domain_choices))

    if problems or subject is None or decision_date is None or domain_id is None:
        return _capped(problems)
    return ValidRow(
        key=data[ctx.kind.key_field],
        decision_date=decision_date,
        domain_id=domain_id,
        subject=subject,
        data=data,
        raw=stored_pairs(pairs) if _longest(pairs) > settings.XINYONG_MAX_STORED_VALUE_CHARS else pairs,
    )
