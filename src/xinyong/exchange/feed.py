"""The change feed (变更订阅源): every record version, exit and overlay, once, in commit order, resumable.

Order and the horizon (docs/exchange.md#cursor):

- A change is written by a trigger in the transaction that writes the version or overlay, with the
  sequence number ``seq`` and, on PostgreSQL, that transaction's id ``txid``. The feed orders by
  ``(txid, seq)`` and never reads at or above the **horizon**: the oldest transaction of this database
  still in progress. Every transaction below the horizon has ended, so the changes below it are final:
  none can appear later behind a cursor already handed out, and a cursor never skips one.
- A sequence alone would not do: a transaction may draw seq 10, another seq 11 and commit first; a
  reader that handed out 11 would never see 10. Transaction ids are ordered the same way, but the
  horizon holds the feed back until the older transaction has committed or rolled back.
- Transactions of other databases on the same server cannot write here, so they do not hold the
  horizon back where ``pg_stat_activity`` shows whose they are (a superuser, or a role with
  ``pg_read_all_stats``); where it does not, the horizon is the server-wide one, later but still safe.
- SQLite serialises writers: ``txid`` is 0 and the sequence is the commit order.

What a caller sees is what the platform's read path shows it (``disclosure.queries.changes_seen``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from xinyong.accounts.models import User
from xinyong.accounts.permissions import Action, allowed
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import Provider
from xinyong.core import clock
from xinyong.core.bulk import is_postgresql
from xinyong.core.errors import PlatformError
from xinyong.disclosure.access import for_purpose, granted_subjects
from xinyong.disclosure.audience import Audience
from xinyong.disclosure.queries import VIEW_OTHER, changes_seen
from xinyong.exchange import errors
from xinyong.exchange.models import change_id
from xinyong.records.models import Overlay

DEFAULT_LIMIT = 100
#: A page's bound: large enough for bulk readers (≥ 20,000 changes/s in pages of this size), small
#: enough that one page is one short query and a few megabytes.
MAX_LIMIT = 5000

#: Transactions of other databases now: they cannot write here. Read *before* the snapshot of
#: ``HORIZON_SQL``: a transaction id never changes database, so what was seen running elsewhere is still
#: elsewhere; one that was not seen (started since, or hidden from this role) counts as ours.
ELSEWHERE_SQL = """
SELECT coalesce(array_agg(backend_xid::text::bigint), '{}') FROM pg_stat_activity
WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()
"""
#: The oldest transaction of this database that may still be in progress, other than the reader's own
#: (whose changes it sees), from the reader's own snapshot: those the snapshot lists as running, and
#: those from its xmax (one past the latest completed) up to the reader's own, which it does not list;
#: less those seen in other databases (``pg_stat_activity`` shows 32-bit ids, hence the modulus).
HORIZON_SQL = """
WITH b AS (
  SELECT snap, pg_snapshot_xmax(snap)::text::bigint AS xmax, pg_current_xact_id_if_assigned()::text::bigint AS own
  FROM pg_current_snapshot() AS snap),
running AS (
  SELECT x::text::bigint AS x FROM b, pg_snapshot_xip(b.snap) AS x
  UNION ALL
  SELECT generate_series(b.xmax, b.own - 1) FROM b WHERE b.own IS NOT NULL)
SELECT LEAST(
  (SELECT CASE WHEN own >= xmax THEN own + 1 ELSE xmax END FROM b),
  (SELECT min(r.x) FROM running r, b WHERE r.x IS DISTINCT FROM b.own AND r.x %% 4294967296 <> ALL(%s::bigint[])))
"""
COLUMNS = "seq, txid, kind, record_id, version, overlay_id, overlay_kind, at, subject_code"


@dataclass(frozen=True, order=True)
class Cursor:
    """A position in the feed: after the change ``(txid, seq)``. Opaque to callers."""

    txid: int = 0
    seq: int = 0

    def encode(self) -> str:
        return base64.urlsafe_b64encode(f"c1.{self.txid}.{self.seq}".encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> Cursor:
        if not text:
            return cls()
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise PlatformError(errors.BAD_CURSOR, field="after") from None
        found = re.fullmatch(r"c1\.(\d{1,19})\.(\d{1,19})", raw)
        if found is None or max(int(found[1]), int(found[2])) >= 1 << 63:
            raise PlatformError(errors.BAD_CURSOR, field="after")
        return cls(int(found[1]), int(found[2]))


@dataclass(frozen=True)
class Scope:
    """Whose changes a caller reads and as which audience (the disclosure read path decides the rest)."""

    audience: Audience
    subject_code: str = ""  # only this subject's changes (the subject itself)
    provider_id: int | None = None  # only this provider's records (its own data)
    purpose: str = ""  # 政务共享: the legal purpose stated, recorded with every page read
    actor: Actor | None = None  # audited reader; None for the public
    #: 授权查询 in bulk: only these subjects, each with the grant (id, purpose) that allows it
    grants: dict[str, tuple[int, str]] | None = None


def scope_of(caller: User | Provider | None, purpose: str = "", *, under_grants: bool = False) -> Scope:
    """The scope of a caller: centre staff everything; a provider (its system or its staff) its own
    records as government units see them (ID numbers masked: only the person and the centre see them);
    ``under_grants``: the subjects that have authorised the caller (a bank, a counterparty), as
    authorised queriers see them (授权查询), each read on the subject's record of who looked; a verified subject itself; a unit officer, with a legal purpose its unit holds, what
    government units see (政务共享); anyone else what the public sees."""
    if isinstance(caller, Provider):
        return Scope(Audience.GOVERNMENT, provider_id=caller.pk, actor=Actor.of_provider(caller))
    if caller is None or not caller.is_authenticated:
        return Scope(Audience.PUBLIC)
    actor = Actor.of_user(caller)
    if under_grants:
        return Scope(Audience.AUTHORISED, actor=actor, grants=granted_subjects(caller, clock.now()))
    if caller.is_centre_staff and caller.roles:
        return Scope(Audience.STAFF, purpose=purpose or "信用中心工作", actor=actor)
    if purpose:
        decision = for_purpose(caller, purpose)
        return Scope(Audience.GOVERNMENT, purpose=decision.purpose, actor=actor)
    if caller.kind == User.Kind.PROVIDER and caller.provider_id and allowed(caller, Action.VIEW_OWN_BATCHES):
        return Scope(Audience.GOVERNMENT, provider_id=caller.provider_id, actor=actor)
    if allowed(caller, Action.VIEW_OWN_RECORD):
        return Scope(Audience.SELF, subject_code=caller.subject_code, actor=actor)
    return Scope(Audience.PUBLIC)


@dataclass
class Page:
    items: list[dict[str, Any]]
    next: Cursor
    more: bool  # another page is ready now (else: wait, then read from ``next`` again)
    scanned: int = 0
    subjects: set[str] = field(default_factory=set)


def horizon() -> int | None:
    """The first ``txid`` the feed may not read yet (PostgreSQL); None where writers are serialised."""
    if not is_postgresql():
        return None
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps the first pg_stat_activity it read; a stale list would
        # take the transactions other databases began since then for ours.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(ELSEWHERE_SQL)
        elsewhere = cursor.fetchone()[0]
        cursor.execute(HORIZON_SQL, [elsewhere])
        return int(cursor.fetchone()[0])


def _source(scope: Scope, after: Cursor, limit: int) -> tuple[str, list[int | str]]:
    """The page's changes as one SELECT and its parameters (the horizon fixed now, so every statement
    of the page reads the same changes)."""
    where: list[str] = ["(txid, seq) > (%s, %s)"]
    params: list[int | str] = [after.txid, after.seq]
    bound = horizon()
    if bound is not None:
        where.append("txid < %s")
        params.append(bound)
    if scope.subject_code:
        where.append("subject_code = %s")
        params.append(scope.subject_code)
    if scope.provider_id is not None:
        where.append("provider_id = %s")
        params.append(scope.provider_id)
    if scope.grants is not None:
        codes = sorted(scope.grants)
        where.append(f"subject_code IN ({', '.join(['%s'] * len(codes))})" if codes else "1 = 0")
        params.extend(codes)
    sql = f"SELECT {COLUMNS} FROM exchange_change WHERE {' AND '.join(where)} ORDER BY txid, seq LIMIT %s"  # noqa: S608
    return sql, [*params, limit]


def _scan(scope: Scope, after: Cursor, limit: int) -> list[tuple[Any, ...]]:
    """The page's change rows alone (bench/feed.py measures it as the floor of a page's cost)."""
    sql, params = _source(scope, after, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _when(value: dt.datetime | str) -> dt.datetime:
    """SQLite hands raw SQL its timestamps as UTC text, or as naive datetimes where the column's declared
    type survives the subquery; PostgreSQL as aware datetimes."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def read(scope: Scope, after: Cursor, limit: int = DEFAULT_LIMIT, *, at: dt.datetime | None = None) -> Page:
    """One page of changes after ``after`` as ``scope`` may see them, and the cursor to read on from.

    The next cursor moves past every change scanned, shown or not, so a caller that sees few changes
    still moves on. A change to a record the caller may not see now is left out; an overlay on it is
    shown without content (``visible: false``), so a copy kept by the caller can drop the record."""
    at = at or clock.now()
    source, params = _source(scope, after, limit + 1)
    rows = changes_seen(source, params, "c.txid, c.seq", scope.audience, at)
    more = len(rows) > limit
    rows = rows[:limit]
    labels = dict(Overlay.Kind.choices)
    last = rows[-1][0] if rows else None
    page = Page([], Cursor(last[1], last[0]) if last else after, more, len(rows))
    for (seq, txid, kind, record_id, version, overlay_id, overlay_kind, when, code), head, fields in rows:
        item: dict[str, Any] = {
            "id": change_id(kind, record_id, version, overlay_id),
            "cursor": Cursor(txid, seq).encode(),
            "type": kind,
            "at": _when(when),
            "record": record_id,
            "version": version,
            "overlay": None,
            "visible": head.visible,
        }
        if overlay_id is not None:
            item["overlay"] = {"id": overlay_id, "kind": overlay_kind, "label": labels.get(overlay_kind, "")}
        if not head.visible:
            if overlay_id is not None:
                page.items.append(item)
            continue
        if overlay_id is not None and overlay_id in head.overlay_reasons:
            item["overlay"]["reason"] = head.overlay_reasons[overlay_id]
        item |= {
            "state": head.state, "subject_code": head.subject_code, "subject_name": head.subject_name,
            "kind": head.kind, "domain": head.domain_number, "provider": head.provider_code, "key": head.key,
            "decision_date": head.decision_date, "publish_until": head.publish_until, "fields": fields,
        }  # fmt: skip
        page.subjects.add(code)  # as stored: the audit trail names the subject in full
        page.items.append(item)
    if scope.actor is not None and page.items:
        with transaction.atomic():
            _audit(scope, after, page)
    return page


def _audit(scope: Scope, after: Cursor, page: Page) -> None:
    """One entry per page read by anyone but the public, naming the subjects it showed; read under
    grants, one entry per subject as a non-public read, so each subject sees it among who looked."""
    if scope.grants is not None:
        for code in sorted(page.subjects):
            grant, purpose = scope.grants[code]
            record(
                actor=scope.actor,  # type: ignore[arg-type]
                action=VIEW_OTHER, subject_code=code, purpose=purpose, object_type="feed",
                object_id=page.next.encode(), detail={"basis": "grant", "grant": grant, "via": "changes"},
            )  # fmt: skip
        return
    record(
        actor=scope.actor,  # type: ignore[arg-type]
        action="exchange.feed.read",
        purpose=scope.purpose,
        subject_code=scope.subject_code,
        object_type="feed",
        object_id=page.next.encode(),
        detail={
            "audience": scope.audience.value, "after": after.encode(), "changes": len(page.items),
            "subjects": sorted(page.subjects), "provider": scope.provider_id,
        },
    )  # fmt: skip
