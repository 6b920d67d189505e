"""The one read path to credit records for display (docs/architecture.md, principle 1).

Every page, API call and export that shows a subject's records goes through here. ``read_subject`` is
for non-public views: it decides the basis (``access.decide``), shows what that audience may see and
appends the read to the audit trail with a fingerprint of what was shown. ``public_subject`` and
``public_records`` are what anyone sees (社会公开): no basis needed, nothing non-public shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

import orjson
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL

from xinyong.accounts import errors as account_errors
from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Category, Domain, Provider, RecordKind
from xinyong.core import clock, errors
from xinyong.core.errors import PlatformError
from xinyong.disclosure.access import Basis, decide
from xinyong.disclosure.audience import AUDIENCE_OF_BASIS, Audience, publicly_visible, state_of
from xinyong.records.models import CreditRecord, Overlay, RecordVersion
from xinyong.records.publication import exit_date, exit_kinds, exit_of, provider_end_field
from xinyong.subjects.codes import mask_resident_id
from xinyong.subjects.models import Subject
from xinyong.supervision.services import warnings_published

HISTORY, HISTORY_LABEL = "history", "历史信息（已移出、已缴清、已解除）"
VIEW_OWN = "subject.view_own"
VIEW_OTHER = "subject.view_nonpublic"
#: Reads of a subject's information by others that the subject is shown under "who looked": queries,
#: joint-measure counter checks (嵌入式核查) and batch checks (信用互查).
LOOKUP_ACTIONS = (VIEW_OTHER, "measures.check", "checks.batch_check")
#: Field codes carrying ID numbers end like this in every kind's schema (cf_xdr_zjhm, cf_fr_zjhm …).
ID_NUMBER_SUFFIX = "_zjhm"
#: … and the subject's name like this (cf_xdr_mc, xk_xdr_mc …): a person's is masked as in public lists.
NAME_SUFFIX = "_xdr_mc"


@dataclass(frozen=True)
class RecordView:
    record_id: int
    kind: str
    kind_name: str
    category: str  # basic / trust / dishonesty
    domain: str
    domain_number: int
    key: str
    decision_date: dt.date
    version: int
    provider: str
    state: str  # 公示中, 公示期满, 已修复, 异议处理中, 已移出 …
    explanation: str  # e.g. "公示至 2027-03-01，依据……"
    fields: list[tuple[str, str]]
    ended_on: dt.date | None = None  # exit date this version carries (移出日期, 缴清日期, 解除日期)
    # For kinds that end by an exit: "至今未移出" or "2025-06-01 移出"; "" for other kinds.
    standing: str = ""
    current: bool = True  # not ended by an exit on or before the day of reading


@dataclass(frozen=True)
class SubjectView:
    code: str
    name: str
    kind: str
    audience: Audience
    purpose: str
    records: list[RecordView]
    warnings: list[str]  # 社会信用预警 currently published
    withdrawn_warnings: list[str] = field(default_factory=list)  # notes of warnings withdrawn in their period

    def by_category(self) -> dict[str, list[RecordView]]:
        """Records under 基本信息 / 守信信息 / 失信信息, and ended dishonesty entries (已移出, 已缴清, 已解除)
        under 历史信息 only, so nothing that has ended reads as a current dishonesty entry."""
        grouped: dict[str, list[RecordView]] = defaultdict(list)
        for r in self.records:
            grouped[r.category if r.current else HISTORY].append(r)
        sections = {c.label: grouped[c.value] for c in (Category.BASIC, Category.TRUST, Category.DISHONESTY)}
        if grouped[HISTORY]:
            sections[HISTORY_LABEL] = grouped[HISTORY]
        return sections


class _Kinds:
    """Names, categories and field names of record kinds, loaded once per read."""

    def __init__(self) -> None:
        kinds = list(RecordKind.objects.all())
        self.by_code = {k.code: k for k in kinds}
        self.fields = {k.pk: {f["code"]: f["name"] for f in k.schema} for k in kinds}


def _shown_value(name: str, value: str, record: CreditRecord, unmasked: bool, code: str) -> str:
    if not unmasked and code.endswith(ID_NUMBER_SUFFIX):
        return mask_resident_id(value)
    # One publication end date everywhere: the provider's own date stays among its fields, with the date
    # the platform applies beside it when they differ (rule publication.provider_end_date).
    differs = bool(value) and record.publish_until is not None and value != record.publish_until.isoformat()
    if differs and name == provider_end_field(record.decision_date):
        return f"{value}（信息提供单位报送；本平台依法确定的公示截止日为 {record.publish_until}）"
    return value


def _standing(v: RecordVersion, ended_on: dt.date | None) -> str:
    ends = exit_of(v.record.kind_code, v.record.decision_date)
    if ends is None:
        return ""
    return f"{ended_on} {ends.verb}" if ended_on is not None else ends.ongoing


def _record_view(
    v: RecordVersion, kinds: _Kinds, state: str, explanation: str, unmasked: bool, on: dt.date
) -> RecordView:
    kind = kinds.by_code.get(v.record.kind_code)
    names = kinds.fields.get(v.kind_id, {})
    fields = [
        (names.get(code, code), _shown_value(names.get(code, code), value, v.record, unmasked, code))
        for code, value in v.data.items()
    ]
    ended_on = exit_date(v.kind, v.data, v.record.decision_date)
    return RecordView(
        record_id=v.record_id,
        kind=v.record.kind_code,
        kind_name=kind.name if kind else v.record.kind_code,
        category=kind.category if kind else Category.BASIC,
        domain=v.record.domain.name,
        domain_number=v.record.domain.number,
        key=v.record.key,
        decision_date=v.record.decision_date,
        version=v.version,
        provider=v.record.provider.name,
        state=state,
        explanation=explanation,
        fields=fields,
        ended_on=ended_on,
        standing=_standing(v, ended_on),
        current=ended_on is None or ended_on > on,
    )


def _records(
    subject_code: str, audience: Audience, at: dt.datetime, since: dt.date | None = None
) -> list[RecordView]:
    versions = RecordVersion.objects.filter(subject_code=subject_code, version=F("record__latest_version"))
    if since is not None:
        # Decided since then, or an entry (list, arrear, enforcement) still in force on that day or after.
        in_force = Q(record__kind_code__in=exit_kinds(clock.local_date(at))) & (
            Q(record__ended_on__isnull=True) | Q(record__ended_on__gte=since)
        )
        versions = versions.filter(Q(record__decision_date__gte=since) | in_force)
    overlays: dict[int, list[Overlay]] = defaultdict(list)
    for overlay in Overlay.objects.filter(subject_code=subject_code):
        overlays[overlay.record_id].append(overlay)
    kinds = _Kinds()
    unmasked = audience in (Audience.SELF, Audience.STAFF)
    views = []
    for v in versions.select_related("record__provider", "record__domain", "kind").order_by(
        "-record__decision_date", "record_id"
    ):
        state = state_of(v.record, overlays[v.record_id], audience, at)
        if state.visible:
            views.append(
                _record_view(v, kinds, state.label, state.explanation, unmasked, clock.local_date(at))
            )
    return views


def report_records(
    subject_code: str, audience: Audience, since: dt.date, at: dt.datetime
) -> list[RecordView]:
    """What a credit report for ``audience`` shows of a subject: the records decided since ``since``, and
    the entries that end by an exit (lists, arrears, enforcement) still in force on ``since`` or later
    whatever their decision date, that the audience may see at ``at``, each with its state (已修复,
    异议处理中, 已移出 …). The caller records the
    (record, version, state) it used, so the report can be rebuilt with ``recorded_versions``."""
    return _records(subject_code, audience, at, since)


def recorded_versions(
    subject_code: str, snapshot: list[tuple[int, int, str]], audience: Audience
) -> list[RecordView]:
    """The records of an issued report, exactly as recorded: ``(record_id, version, state)`` triples. The
    visibility decision was made and stored when the report was issued; versions never change."""
    wanted = {(record_id, version): state for record_id, version, state in snapshot}
    if not wanted:
        return []
    versions = (
        RecordVersion.objects.filter(subject_code=subject_code, record_id__in={r for r, _ in wanted})
        .select_related("record__provider", "record__domain", "kind")
        .order_by("-record__decision_date", "record_id")
    )
    kinds = _Kinds()
    unmasked = audience in (Audience.SELF, Audience.STAFF)
    return [
        _record_view(v, kinds, wanted[(v.record_id, v.version)], "", unmasked, clock.today())
        for v in versions
        if (v.record_id, v.version) in wanted
    ]


def _view(subject: Subject, audience: Audience, purpose: str, at: dt.datetime) -> SubjectView:
    unmasked = audience in (Audience.SELF, Audience.STAFF)
    warnings = warnings_published(subject.code, clock.local_date(at))
    return SubjectView(
        code=subject.code if unmasked else subject.public_code,
        name=subject.name,
        kind=subject.get_kind_display(),
        audience=audience,
        purpose=purpose,
        records=_records(subject.code, audience, at),
        warnings=[w.explanation for w in warnings if w.withdrawn_at is None],
        withdrawn_warnings=[w.withdrawal_note for w in warnings if w.withdrawn_at is not None],
    )


def read_subject(viewer: User, subject_code: str, purpose_code: str = "") -> SubjectView:
    """What ``viewer`` may see of a subject now, on the record. Raises a refusal without a basis."""
    at = clock.now()
    decision = decide(viewer, subject_code, purpose_code, at)
    subject = Subject.objects.filter(code=subject_code).first()
    if subject is None:
        raise PlatformError(errors.NOT_FOUND, field="subject")
    view = _view(subject, AUDIENCE_OF_BASIS[decision.basis], decision.purpose, at)
    record(
        actor=Actor.of_user(viewer),
        action=VIEW_OWN if decision.basis is Basis.SELF else VIEW_OTHER,
        subject_code=subject_code,
        purpose=decision.purpose,
        object_type="subject",
        object_id=subject_code,
        result=asdict(view),
        detail={"basis": decision.basis.value, "grant": decision.grant_id, "records": len(view.records)},
    )
    return view


def subject_page(viewer: User | None, subject_code: str, purpose_code: str = "") -> SubjectView:
    """What a subject's page shows this viewer: the non-public view when it has a basis (on the record,
    as ``read_subject``), else what anyone sees. A page anyone may read does not refuse a signed-in
    account that lacks a basis (a company's account looking at another company, a unit officer who
    gave no purpose): it gets the public view. A purpose that is stated but not allowed is still refused:
    the caller asked for more than the public view."""
    if viewer is None:
        return public_subject(subject_code)
    try:
        decide(viewer, subject_code, purpose_code, clock.now())
    except PlatformError as refused:
        if purpose_code or refused.error not in (
            account_errors.QUERY_NO_BASIS,
            account_errors.QUERY_PURPOSE_REQUIRED,
        ):
            raise
        return public_subject(subject_code)
    return read_subject(viewer, subject_code, purpose_code)


def own_record(viewer: User, record_id: int) -> CreditRecord | None:
    """One of the signed-in subject's own records, if the subject may see it now (Audience.SELF: not
    revoked, not held for a code check): what the objection and repair pages show and act on. None
    otherwise, so a record the subject cannot see answers like one that does not exist."""
    if not viewer.subject_code:
        return None
    found = (
        CreditRecord.objects.select_related("subject", "domain", "provider")
        .filter(pk=record_id, subject_code=viewer.subject_code)
        .first()
    )
    if found is None or not state_of(found, found.overlays.all(), Audience.SELF, clock.now()).visible:
        return None
    return found


def public_subject(subject_code: str, *, at: dt.datetime | None = None) -> SubjectView:
    """What anyone sees of a subject (社会公开). A natural person has no public page: their public records
    appear only in lists with the name masked, never gathered in one place (not found, like a stranger)."""
    subject = Subject.objects.filter(code=subject_code).exclude(kind=Subject.Kind.PERSON).first()
    if subject is None:
        raise PlatformError(errors.NOT_FOUND, field="subject")
    return _view(subject, Audience.PUBLIC, "社会公开", at or clock.now())


def public_list(
    kind_code: str,
    *,
    domain: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    name: str = "",
    number: str = "",
    provider: int | None = None,
    at: dt.datetime | None = None,
) -> QuerySet[CreditRecord]:
    """The latest published records of a kind (双公示 and red/black lists), newest decision first,
    filtered as a visitor asks: domain, decision dates, the subject's name, the document number (文号)
    and the authority (信息提供单位). Name and number match any part (icontains): on a list already
    narrowed to one kind and paged, as 信用中国 offers it."""
    at = at or clock.now()
    # A list shows current entries: from its exit date an entry leaves the list (publication.exit).
    query = publicly_visible(CreditRecord.objects.filter(kind_code=kind_code), at).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=clock.local_date(at))
    )
    if domain is not None:
        query = query.filter(domain__number=domain)
    if since is not None:
        query = query.filter(decision_date__gte=since)
    if until is not None:
        query = query.filter(decision_date__lte=until)
    if name:
        query = query.filter(subject__name__icontains=name)
    if number:
        query = query.filter(key__icontains=number)
    if provider is not None:
        query = query.filter(provider_id=provider)
    return query.select_related("subject", "domain", "provider").order_by("-decision_date", "-pk")


def public_records(
    kind_code: str,
    *,
    domain: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    page: int = 1,
    per_page: int = 20,
    at: dt.datetime | None = None,
    **filters: Any,
) -> Page[CreditRecord]:
    """``public_list`` a page at a time."""
    query = public_list(kind_code, domain=domain, since=since, until=until, at=at, **filters)
    return Paginator(query, per_page).get_page(page)


def latest_data(records: Iterable[CreditRecord]) -> dict[int, dict[str, Any]]:
    """The published (latest) version's values of each record, keyed by record id: one query for a
    page or an export, so a list can show a field of the record (名单类型, 列入事由) beside its row."""
    ids = [r.pk for r in records]
    latest = RecordVersion.objects.filter(record_id__in=ids, version=F("record__latest_version"))
    return dict(latest.values_list("record_id", "data"))


def lookups_of(subject_code: str, *, limit: int = 200) -> list[AuditEntry]:
    """Who read this subject's non-public information, newest first (the subject's own reads excluded)."""
    return list(
        AuditEntry.objects.filter(subject_code=subject_code, action__in=LOOKUP_ACTIONS).order_by("-seq")[
            :limit
        ]
    )


class RecordSeen(NamedTuple):
    """What an audience may see now of a record that changed (the exchange feed, docs/exchange.md).
    A named tuple: the feed builds thousands a page, and a frozen dataclass costs several times more."""

    record_id: int
    visible: bool
    state: str  # 公示中, 已修复, 已撤销 … as ``state_of`` labels it for this audience
    subject_code: str  # masked for a person outside the person and the centre
    subject_name: str
    person: bool  # a natural person: name and ID numbers masked outside the person and the centre
    kind: str
    domain_number: int
    provider_code: str
    key: str
    decision_date: dt.date
    publish_until: dt.date | None
    #: the reasons of the record's overlays, by overlay id, for the subject and the centre only
    overlay_reasons: dict[int, str]


class _Head(NamedTuple):
    """What ``state_of`` reads of a record head (a ``RecordHead``), from a row of ``_SEEN_SQL``."""

    hold: str
    published: bool
    publish_from: dt.date | None
    publish_until: dt.date | None
    kind_code: str
    decision_date: dt.date
    ended_on: dt.date | None
    publication_note: str


#: The source's rows with their record head, subject and version values, in one statement. ``{source}``
#: and ``{order}`` come from the caller's code, never from input; the source's own values are parameters.
_SEEN_SQL = """
SELECT c.*, r.hold, r.published, r.publish_from, r.publish_until, r.kind_code, r.decision_date, r.ended_on,
       r.publication_note, r.provider_id, r.domain_id, r.key, s.code, s.name, s.kind, CAST(v.data AS TEXT)
FROM ({source}) c
JOIN records_creditrecord r ON r.id = c.record_id
JOIN subjects_subject s ON s.id = r.subject_id
LEFT JOIN records_recordversion v ON v.record_id = c.record_id AND v.version = c.version
ORDER BY {order}
"""
_SEEN_COLUMNS = 15


def changes_seen(
    source: str, params: Sequence[int | str], order: str, audience: Audience, at: dt.datetime
) -> list[tuple[tuple[Any, ...], RecordSeen, dict[str, str] | None]]:
    """What ``audience`` may see at ``at`` of the records named by ``source``: a SELECT of the caller's
    (the change feed's page) with columns ``record_id`` and ``version`` (null for a change that is not a
    version). For each of its rows, in ``order``: the row, the record as this audience sees it (the same
    decision, ``state_of``, and the same masking as the subject pages), and the version's values by
    field code, masked, or None where there is no version or the record is not visible.

    Two statements whatever the number of rows: the rows joined to their records, subjects and versions,
    and the overlays of those records. Built for the feed's pages of thousands: plain rows, values parsed
    with orjson, no model instances but the overlays."""
    overlays: dict[int, list[Overlay]] = defaultdict(list)
    of_source = f"SELECT record_id FROM ({source}) c"  # noqa: S608 - source is the caller's code, not input
    for overlay in Overlay.objects.filter(record_id__in=RawSQL(of_source, params)):  # noqa: S611 - as above
        overlays[overlay.record_id].append(overlay)
    domains = dict(Domain.objects.values_list("pk", "number"))
    providers = dict(Provider.objects.values_list("pk", "code"))
    with connection.cursor() as cursor:
        cursor.execute(_SEEN_SQL.format(source=source, order=order), params)
        names = [column[0] for column in cursor.description][:-_SEEN_COLUMNS]
        rows = cursor.fetchall()
    record_at, version_at = names.index("record_id"), names.index("version")
    insider = audience in (Audience.SELF, Audience.STAFF)
    seen_of: dict[int, RecordSeen] = {}
    result: list[tuple[tuple[Any, ...], RecordSeen, dict[str, str] | None]] = []
    for row in rows:
        own, record_id = row[: len(names)], row[record_at]
        seen = seen_of.get(record_id)
        if seen is None:
            seen = seen_of[record_id] = _record_seen(
                record_id, row[len(names) :], overlays, audience, at, (domains, providers)
            )
        text = row[-1]
        fields = None
        if seen.visible and own[version_at] is not None and text is not None:
            data = orjson.loads(text)
            fields = data if insider else {code: _masked(code, str(v), seen) for code, v in data.items()}
        result.append((own, seen, fields))
    return result


def _record_seen(
    record_id: int,
    columns: tuple[Any, ...],
    overlays: dict[int, list[Overlay]],
    audience: Audience,
    at: dt.datetime,
    reference: tuple[dict[int, int], dict[int, str]],
) -> RecordSeen:
    insider = audience in (Audience.SELF, Audience.STAFF)
    domains, providers = reference
    head = _Head(*columns[:8])
    provider_id, domain_id, key, code, name, kind = columns[8:14]
    if isinstance(head.decision_date, str):  # SQLite hands raw SQL its dates as text
        head = head._replace(
            decision_date=dt.date.fromisoformat(head.decision_date),
            publish_from=head.publish_from and dt.date.fromisoformat(head.publish_from),
            publish_until=head.publish_until and dt.date.fromisoformat(head.publish_until),
            ended_on=head.ended_on and dt.date.fromisoformat(head.ended_on),
            published=bool(head.published),
        )
    state = state_of(head, overlays[record_id], audience, at)
    person = kind == Subject.Kind.PERSON
    if person and not insider:
        shown = Subject(code=code, name=name, kind=kind)
        code, name = shown.public_code, shown.public_name
    return RecordSeen(
        record_id=record_id, visible=state.visible, state=state.label, subject_code=code, subject_name=name,
        person=person, kind=head.kind_code, domain_number=domains[domain_id], provider_code=providers[provider_id],
        key=key,
        decision_date=head.decision_date, publish_until=head.publish_until,
        overlay_reasons={o.pk: o.reason for o in overlays[record_id]} if insider else {},
    )  # fmt: skip


def _masked(code: str, value: str, seen: RecordSeen) -> str:
    if code.endswith(ID_NUMBER_SUFFIX):
        return mask_resident_id(value)
    if seen.person and code.endswith(NAME_SUFFIX):
        return seen.subject_name
    return value
