"""Checking the audit chain (``xinyong audit verify``): is every entry intact, linked and in place?

The database triggers stop the platform from changing the trail, but an owner of the schema can drop
them. This check is what catches that: it recomputes every entry's hash, follows the ``prev_hash``
links and the sequence numbers, and compares the last entry with the head row, naming the first entry
where the story breaks.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from xinyong.audit.models import AuditEntry, AuditHead
from xinyong.audit.services import GENESIS, entry_hash, hashed_values


class Problem(enum.Enum):
    """What went wrong, with the Chinese and English wording the CLI prints."""

    ALTERED = ("内容被篡改：重新计算的哈希与记录的哈希不符", "altered content: the recomputed hash differs")
    BROKEN_LINK = (
        "链接断裂：前一哈希与上一条的哈希不符（前一条被改写、删除或顺序被调换）",
        "broken link: prev_hash does not match the previous entry (rewritten, removed or reordered)",
    )
    GAP = ("序号不连续（其间的条目被删除）", "gap in sequence (entries removed)")
    DUPLICATE = ("序号重复（有条目被插入）", "duplicate sequence number (an entry was inserted)")
    HEAD_MISMATCH = (
        "链头与最后一条不符（末尾条目被删除或在链外追加）",
        "head mismatch (entries removed from or added behind the tail)",
    )

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: Problem | None = None
    #: What was expected and what was found, e.g. "期望序号 5，实际 6" and "expected seq 5, found 6".
    finding_zh: str = ""
    finding_en: str = ""

    @property
    def reason_zh(self) -> str:
        return f"{self.problem.zh}；{self.finding_zh}" if self.problem else ""

    @property
    def reason_en(self) -> str:
        return f"{self.problem.en}; {self.finding_en}" if self.problem else ""


def entries_by_seq(
    queryset: QuerySet[AuditEntry] | None = None,
    *,
    after: tuple[int, int] | None = None,
    batch_size: int = 5000,
) -> Iterator[AuditEntry]:
    """Yield entries in (seq, id) order after the key ``after``, one page in memory at a time.

    Keyset pagination rather than OFFSET keeps every page an index range scan (``seq >= s`` is the index
    condition; the OR only trims the boundary). The key includes the id so that a duplicated seq,
    possible only once someone drops the unique constraint, is neither skipped nor repeated.
    """
    base = (AuditEntry.objects.all() if queryset is None else queryset).order_by("seq", "id")
    while True:
        page_query = base
        if after is not None:
            seq, pk = after
            page_query = base.filter(Q(seq__gt=seq) | Q(seq=seq, id__gt=pk), seq__gte=seq)
        page = list(page_query[:batch_size])
        yield from page
        if len(page) < batch_size:
            return
        after = (page[-1].seq, page[-1].pk)


def verify_chain(*, batch_size: int = 5000) -> VerifyResult:
    """Walk the whole chain once and report the first entry that does not hold up."""
    checker = _Checker()
    cursor: tuple[int, int] | None = None
    # Writers may append while we walk. The head row commits together with its entry, so every entry
    # the head counts is visible once the head has been read: read the head, walk on from the cursor,
    # and repeat until a walk finds nothing new. Then the head must name exactly the last entry.
    while True:
        head = AuditHead.objects.filter(pk=1).first()
        found_more = False
        for entry in entries_by_seq(after=cursor, batch_size=batch_size):
            found_more = True
            if (bad := checker.check(entry)) is not None:
                return bad
            cursor = (entry.seq, entry.pk)
        if not found_more:
            return checker.check_head(head)


class _Checker:
    """The running state of one walk along the chain."""

    def __init__(self) -> None:
        self.checked = 0
        self.last_seq = 0
        self.last_hash = GENESIS

    def check(self, entry: AuditEntry) -> VerifyResult | None:
        self.checked += 1
        seq, expected = entry.seq, self.last_seq + 1
        if seq == self.last_seq and self.checked > 1:
            return self._bad(seq, Problem.DUPLICATE, f"序号 {seq} 出现两次", f"seq {seq} appears twice")
        if seq != expected:
            return self._bad(
                seq, Problem.GAP, f"期望序号 {expected}，实际 {seq}", f"expected seq {expected}, found {seq}"
            )
        # Link before content: a moved entry is still internally consistent, so its link is what is wrong.
        if entry.prev_hash != self.last_hash:
            stored, previous = entry.prev_hash[:12], self.last_hash[:12]
            return self._bad(
                seq,
                Problem.BROKEN_LINK,
                f"本条前一哈希 {stored}…，上一条哈希 {previous}…",
                f"prev_hash {stored}…, previous entry {previous}…",
            )
        recomputed = entry_hash(hashed_values(entry))
        if recomputed != entry.entry_hash:
            stored, fresh = entry.entry_hash[:12], recomputed[:12]
            return self._bad(
                seq,
                Problem.ALTERED,
                f"记录的哈希 {stored}…，重算 {fresh}…",
                f"stored {stored}…, recomputed {fresh}…",
            )
        self.last_seq, self.last_hash = seq, entry.entry_hash
        return None

    def check_head(self, head: AuditHead | None) -> VerifyResult:
        if head is None:
            return self._bad(
                self.last_seq + 1, Problem.HEAD_MISMATCH, "链头行缺失", "the head row is missing"
            )
        if (head.last_seq, head.last_hash) == (self.last_seq, self.last_hash):
            return VerifyResult(ok=True, checked=self.checked)
        # Name the first entry the head and the table disagree about: the first one missing from the
        # tail, the first one beyond the head, or (same seq, other hash) the last one.
        same_length = head.last_seq == self.last_seq
        first_bad = self.last_seq if same_length else min(head.last_seq, self.last_seq) + 1
        return self._bad(
            first_bad,
            Problem.HEAD_MISMATCH,
            f"链头为第 {head.last_seq} 条，表中最后一条为第 {self.last_seq} 条",
            f"head at seq {head.last_seq}, last entry seq {self.last_seq}",
        )

    def _bad(self, seq: int, problem: Problem, finding_zh: str, finding_en: str) -> VerifyResult:
        return VerifyResult(
            ok=False,
            checked=self.checked,
            first_bad_seq=seq,
            problem=problem,
            finding_zh=finding_zh,
            finding_en=finding_en,
        )
