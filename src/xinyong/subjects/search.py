"""Public search of subjects (信用主体检索): by full code, or by any part of a name of two characters or more.

How it works (docs/search.md has the details and the measurements):

- **Bigrams.** A name is normalised (NFKC, case-folded, only letters and digits kept) and cut into
  overlapping character pairs: 厦门鹭江贸易 → 厦门 门鹭 鹭江 江贸 贸易. A query's pairs, adjacent and in
  order, match exactly the names that contain the query, so a two-character query such as 鹭江 is one
  index term. Trigram indexes cannot serve 1–2 character queries; word segmenters miss brand names.
- **One row per searchable name** in ``SubjectSearch``: the current name and each distinct former name,
  with its index terms (the bigrams, and ``＾`` + the first bigram for "starts with"). SQLite keeps
  the terms in an FTS5 table (phrase queries); PostgreSQL in a (gram, rank_key) B-tree table, walking
  the rarest term and checking the name with ``strpos`` / ``starts_with``.
- **Ranking is the key.** ``rank_key = former << 56 | length << 48 | tie-break``: current names before
  former ones, shorter names first, older subjects first. Both indexes list a term's names in key
  order, and each tier (names starting with the query, then names containing it; current, then
  former) is read in that order with a LIMIT, so a query matching a million names reads one page of
  them. Exact names come first because an exact match is the shortest name starting with the query.
- **Privacy.** Natural persons are never found, by name or by code: a full resident ID number typed
  in the public search answers exactly as an unknown number does (the query echoed masked), so the
  search cannot tell whether someone has records. Subjects whose code failed its check
  (重错码) are not listed at all. Queries shorter than two characters, and paging beyond
  ``MAX_WINDOW`` results, are refused: the search must not list all subjects to a crawler.
"""

from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from django.db import connection
from django.db.backends.utils import CursorWrapper

from xinyong.core import bulk
from xinyong.subjects.codes import CodeProblem, mask_resident_id, resident_id_problem, uscc_problem
from xinyong.subjects.models import Subject, SubjectSearch

#: A query needs this many characters (after normalising) unless it is a full code.
MIN_QUERY_CHARS = 2
#: Longest page, and how deep paging may go (offset + limit): enough for a person, not for a crawler.
MAX_LIMIT = 50
MAX_WINDOW = 500

FTS_TABLE = "subjects_subjectsearch_fts"
GRAMS_TABLE = "subjects_subjectsearch_grams"
START = "＾"
FORMER_BIT = 1 << 56
_LENGTH_SHIFT = 48
_TIE_LIMIT = 1 << _LENGTH_SHIFT
_KEY_END = 1 << 62

_PERSON = Subject.Kind.PERSON.value


class Refusal(StrEnum):
    TOO_SHORT = "too_short"
    TOO_DEEP = "too_deep"


class MatchKind(StrEnum):
    CODE = "code"
    EXACT = "exact"  # the whole (normalised) name
    PREFIX = "prefix"  # the name starts with the query
    CONTAINS = "contains"


@dataclass(frozen=True, slots=True)
class SearchHit:
    subject_id: int
    code: str
    public_code: str  # what the public sees: the code (persons are never hits)
    name: str  # the current name
    kind: str
    match: MatchKind
    former_name: str | None  # the former name that matched, when the current one did not


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    hits: list[SearchHit]
    offset: int
    limit: int
    has_more: bool
    refusal: Refusal | None = None


# ---------------------------------------------------------------------------------------------------
# Normalising and bigrams


class _KeepLettersAndDigits(dict[int, int | None]):
    """``str.translate`` table dropping every character that is not a letter or digit (spaces,
    punctuation, brackets, symbols, combining marks), decided once per character seen."""

    def __missing__(self, char: int) -> int | None:
        keep = unicodedata.category(chr(char))[0] in "LN"
        self[char] = value = char if keep else None
        return value


_KEEP = _KeepLettersAndDigits()


def normalise_text(text: str) -> str:
    """The form names and queries are compared in: NFKC (full-width Ａ１（ fold to A1( ), case-folded,
    letters and digits only. 厦门市（思明）鹭江 贸易 → 厦门市思明鹭江贸易."""
    return unicodedata.normalize("NFKC", text).casefold().translate(_KEEP)


def _pairs(normalised: str) -> list[str]:
    return [normalised[i : i + 2] for i in range(len(normalised) - 1)]


def bigrams(text: str) -> list[str]:
    """The overlapping character pairs of the normalised text, in order (empty below two characters)."""
    return _pairs(normalise_text(text))


def index_terms(normalised: str) -> list[str]:
    """What the full-text index holds for a normalised name: its bigrams in order, then ``＾`` and the
    first bigram. That last term lists the names *starting* with a bigram as one short posting list,
    so "names starting with 鹭江" does not walk every name containing 鹭江 (nor "有限公司" every name
    with 有限). ``＾`` (U+FF3E) cannot occur in a bigram: normalising folds it to ``^`` and drops it."""
    pairs = _pairs(normalised)
    return [*pairs, START + pairs[0]] if pairs else []


def rank_key(*, current: bool, normalised: str, tie: int) -> int:
    """The ordering key of a searchable name (see the module docstring); ``tie`` is the subject's id
    for a current name, the ``SubjectName`` id for a former one, so keys are unique."""
    if not 0 <= tie < _TIE_LIMIT:
        raise ValueError(f"tie-break {tie} out of range")
    return (0 if current else FORMER_BIT) | min(len(normalised), 255) << _LENGTH_SHIFT | tie


# ---------------------------------------------------------------------------------------------------
# Index maintenance

_COLUMNS = ("rank_key", "subject_id", "subject_code", "is_current", "name", "normalised", "grams")


def index_subjects(subject_ids: Iterable[int]) -> None:
    """Rebuild the search rows of these subjects from their current and former names.

    Set-based: at most seven queries whatever the number of subjects (read the subjects, their names
    and their present rows; forget those rows' terms and delete them; insert the new rows and their
    terms). Runs in the caller's transaction, so the index changes with the names or not at all.
    """
    ids = sorted(set(subject_ids))
    if not ids:
        return
    backend = _backend()
    param = backend.ids(ids)
    in_ids = backend.in_ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, code, name, kind, code_valid FROM subjects_subject WHERE id {in_ids}",  # noqa: S608
            [param],
        )
        subjects = cursor.fetchall()
        cursor.execute(
            f"SELECT subject_id, id, name FROM subjects_subjectname WHERE subject_id {in_ids} ORDER BY id",  # noqa: S608
            [param],
        )
        former: dict[int, list[tuple[int, str]]] = {}
        for subject_id, name_id, name in cursor.fetchall():
            former.setdefault(subject_id, []).append((name_id, name))
        cursor.execute(
            f"SELECT rank_key, grams FROM subjects_subjectsearch WHERE subject_id {in_ids}",  # noqa: S608
            [param],
        )
        old = cursor.fetchall()
        if old:  # new subjects, most of an import, have nothing to forget
            backend.forget(cursor, old)
            cursor.execute(
                f"DELETE FROM subjects_subjectsearch WHERE rank_key {in_ids}",  # noqa: S608
                [backend.ids([key for key, _ in old])],
            )
        backend.add(cursor, [row for s in subjects for row in _rows_of(s, former.get(s[0], []))])


def _rows_of(
    subject: tuple[int, str, str, str, bool], names: list[tuple[int, str]]
) -> Iterator[tuple[Any, ...]]:
    subject_id, code, current_name, kind, code_valid = subject
    if kind == _PERSON or not code_valid:
        return  # persons are found by their ID number only; 重错码 subjects not at all
    current = normalise_text(current_name)
    if len(current) >= MIN_QUERY_CHARS:
        key = rank_key(current=True, normalised=current, tie=subject_id)
        yield (key, subject_id, code, True, current_name, current, " ".join(index_terms(current)))
    seen = {current}
    for name_id, name in names:
        if name == current_name:
            continue  # every current name is also in the history
        text = normalise_text(name)
        if text in seen or len(text) < MIN_QUERY_CHARS:
            continue  # the current name, or a spelling of a name already indexed
        seen.add(text)
        key = rank_key(current=False, normalised=text, tie=name_id)
        yield (key, subject_id, code, False, name, text, " ".join(index_terms(text)))


def rebuild_index(*, chunk: int = 5000) -> int:
    """Index every subject again, ``chunk`` subjects per step; returns how many were read. For a
    database that has subjects from before the index existed (migration 0003) or a repaired one."""
    done, last = 0, 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM subjects_subject WHERE id > %s ORDER BY id LIMIT %s", [last, chunk]
            )
            ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return done
        index_subjects(ids)
        done, last = done + len(ids), ids[-1]


# ---------------------------------------------------------------------------------------------------
# Search


class _Candidate(NamedTuple):
    rank_key: int
    subject_id: int
    normalised: str
    name: str
    code: str
    subject_name: str
    kind: str


def search(q: str, *, limit: int = 20, offset: int = 0) -> SearchPage:
    """Subjects matching ``q``, best first: a full USCC, resident ID or registration number finds that
    subject; otherwise names containing the normalised query (at least two characters), current names
    before former ones, names starting with the query before others, shorter names first."""
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    code = _as_code(q)
    if code is not None:
        return _by_code(code, limit=limit, offset=offset)
    text = normalise_text(q)
    if len(text) < MIN_QUERY_CHARS:
        return SearchPage(text, [], offset, limit, has_more=False, refusal=Refusal.TOO_SHORT)
    if offset + limit > MAX_WINDOW:
        return SearchPage(text, [], offset, limit, has_more=False, refusal=Refusal.TOO_DEEP)
    hits = _ranked(text, wanted=offset + limit + 1)
    return SearchPage(text, hits[offset : offset + limit], offset, limit, has_more=len(hits) > offset + limit)


def _as_code(q: str) -> str | None:
    """The query as a subject code if it has the shape of one: an 18-character USCC or resident ID
    number, or a 15-digit registration number (工商注册号) of an individual business without a USCC."""
    compact = "".join(unicodedata.normalize("NFKC", q).split()).upper()
    if uscc_problem(compact) != CodeProblem.FORMAT or resident_id_problem(compact) != CodeProblem.FORMAT:
        return compact
    if len(compact) == 15 and compact.isascii() and compact.isdigit():
        return compact
    return None


def _by_code(code: str, *, limit: int, offset: int) -> SearchPage:
    # Persons are left out in the query itself: found or not, a person's number costs the same lookup.
    subject = Subject.objects.filter(code=code, code_valid=True).exclude(kind=_PERSON).first()
    hits = []
    if subject is not None and offset == 0:
        hits.append(
            SearchHit(
                subject.pk, subject.code, subject.code, subject.name, subject.kind, MatchKind.CODE, None
            )
        )
    # The query is echoed back: never a full ID number.
    looks_like_id = subject is None and resident_id_problem(code) != CodeProblem.FORMAT
    return SearchPage(mask_resident_id(code) if looks_like_id else code, hits, offset, limit, has_more=False)


def _ranked(text: str, *, wanted: int) -> list[SearchHit]:
    """The first ``wanted`` hits in ranking order, one per subject. Tiers, each read in key order:
    current names starting with the query, current names containing it, then the same for former
    names; a tier is only read if the ones before it did not fill the page."""
    backend = _backend()
    plans = backend.plans(text)
    found: list[SearchHit] = []
    seen: set[int] = set()
    for low, high in ((0, FORMER_BIT), (FORMER_BIT, _KEY_END)):
        prefixed = 0  # names of this range starting with the query, all read by the prefix tier
        for prefix in (True, False):
            # The contains tier meets the prefixed names again and skips them, so it reads at most
            # ``prefixed`` rows more than it keeps.
            hint = wanted - len(found) + (0 if prefix else prefixed)
            for candidate in _candidates(
                backend, plans[prefix], text, prefix=prefix, low=low, high=high, hint=hint
            ):
                starts = candidate.normalised.startswith(text)
                if text not in candidate.normalised or (prefix and not starts):
                    continue  # a stale index entry: never show a name that does not match
                if prefix:
                    prefixed += 1
                elif starts:
                    continue  # listed by the prefix tier
                if candidate.subject_id in seen:
                    continue  # a better name of this subject is listed already
                seen.add(candidate.subject_id)
                found.append(_hit(candidate, text))
                if len(found) >= wanted:
                    return found
    return found


def _hit(candidate: _Candidate, text: str) -> SearchHit:
    current = candidate.rank_key < FORMER_BIT
    if candidate.normalised == text:
        match = MatchKind.EXACT
    elif candidate.normalised.startswith(text):
        match = MatchKind.PREFIX
    else:
        match = MatchKind.CONTAINS
    return SearchHit(
        subject_id=candidate.subject_id,
        code=candidate.code,
        public_code=candidate.code,  # persons are not in the name index
        name=candidate.subject_name,
        kind=candidate.kind,
        match=match,
        former_name=None if current else candidate.name,
    )


def _candidates(
    backend: _Backend, plan: Any, text: str, *, prefix: bool, low: int, high: int, hint: int
) -> Iterator[_Candidate]:
    """Index entries with keys in ``[low, high)`` matching ``text`` (starting with it if ``prefix``),
    in key order, read in growing batches so a page costs one query and a long tail a few."""
    after, batch = low - 1, max(hint, 8)
    while True:
        hits, params = backend.hits(plan, text, prefix=prefix)
        with connection.cursor() as cursor:
            cursor.execute(_DETAILS.format(hits=hits), [*params, after, high, batch])
            rows = cursor.fetchall()
        # A key without its row (only in a damaged index) has no candidate, but counts for paging.
        yield from (_Candidate(*row) for row in rows if row[1] is not None)
        if len(rows) < batch:
            return
        after, batch = rows[-1][0], min(batch * 4, 4 * MAX_WINDOW)


_DETAILS = (
    "SELECT hit.rank_key, s.subject_id, s.normalised, s.name, sub.code, sub.name, sub.kind FROM ({hits}) hit "
    "LEFT JOIN subjects_subjectsearch s ON s.rank_key = hit.rank_key "
    "LEFT JOIN subjects_subject sub ON sub.id = s.subject_id ORDER BY hit.rank_key"
)


# ---------------------------------------------------------------------------------------------------
# The full-text index of each database. Both keep, per term, the keys of the names holding it in key
# order, and read them in that order with a LIMIT: the index-only path that bounds every query.


class _Backend(Protocol):
    in_ids: str  # SQL for "is one of the ids in the parameter"

    def ids(self, ids: Sequence[int]) -> Any: ...
    def forget(self, cursor: CursorWrapper, old: Sequence[tuple[int, str]]) -> None: ...
    def add(self, cursor: CursorWrapper, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert ``SubjectSearch`` rows (in ``_COLUMNS`` order) and their terms. Conflicts are ignored:
        two PostgreSQL imports re-indexing one subject at once compute the same keys and rows."""

    def plans(self, text: str) -> dict[bool, Any]: ...
    def hits(self, plan: Any, text: str, *, prefix: bool) -> tuple[str, list[Any]]: ...


class _SQLite:
    """An FTS5 table (migration 0002) whose rowid is the rank key and whose document is ``grams``."""

    in_ids = "IN (SELECT value FROM json_each(%s))"  # one JSON parameter, not a placeholder per id

    def ids(self, ids: Sequence[int]) -> Any:
        return json.dumps(list(ids))

    def forget(self, cursor: CursorWrapper, old: Sequence[tuple[int, str]]) -> None:
        # A contentless FTS5 table forgets a document only when told its exact terms again.
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, grams) VALUES ('delete', %s, %s)",  # noqa: S608
            old,
        )

    def add(self, cursor: CursorWrapper, rows: Sequence[tuple[Any, ...]]) -> None:
        bulk.insert_ignoring_conflicts(SubjectSearch, _COLUMNS, rows)
        terms = [(row[0], row[-1]) for row in rows]
        cursor.executemany(f"INSERT INTO {FTS_TABLE}(rowid, grams) VALUES (%s, %s)", terms)  # noqa: S608

    def plans(self, text: str) -> dict[bool, Any]:
        """Per tier (starts with: True), the MATCH expression: the query's bigrams as one phrase
        (adjacent and in order: exactly the names containing the query); for "starts with", also the
        start term and ``^`` (the phrase at the first position). Terms are letters and digits only:
        nothing to quote. FTS5 intersects the terms' lists itself, skipping ahead in the longer ones."""
        pairs = _pairs(text)
        phrase = '"' + " ".join(pairs) + '"'
        return {True: f'"{START}{pairs[0]}" AND ^{phrase}', False: phrase}

    def hits(self, plan: Any, text: str, *, prefix: bool) -> tuple[str, list[Any]]:
        # The virtual table yields rowids in order and stops at the LIMIT.
        sql = (
            f"SELECT rowid AS rank_key FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            "AND rowid > %s AND rowid < %s ORDER BY rowid LIMIT %s"
        )
        return sql, [plan]


class _PostgreSQL:
    """A table of (gram, rank_key) with that primary key (migration 0002): per term, its names' keys in
    rank order, read from the index alone — an FTS5 posting list as a B-tree.

    A GIN index over the bigrams was measured first and dropped: it returns its matches unordered, so
    "the best 21 of the 7,000 names containing 修店" fetched all 7,000 rows, and the planner's other
    choice (walk the primary key in rank order and filter) walked 600,000 short names before the
    first long one: p95 0.75 s for two-character queries over a million subjects.

    A query walks the posting list of its rarest term (for "starts with", the start term ＾ab stands
    for the first bigram) and checks each name on its row. How rare a term is comes from the table's
    statistics (the most common grams and their frequencies, kept by ANALYZE / autovacuum), or, before
    the first ANALYZE, from counting each term's first ``COUNT_CAP`` postings.
    """

    in_ids = "= ANY(%s)"  # one array parameter
    COUNT_CAP = 1000
    #: Seconds the most common grams are kept in memory between reads of pg_stats.
    STATISTICS_TTL = 300.0
    _common: tuple[float, dict[str, float]] = (-STATISTICS_TTL, {})

    def ids(self, ids: Sequence[int]) -> Any:
        return list(ids)

    def forget(self, cursor: CursorWrapper, old: Sequence[tuple[int, str]]) -> None:
        keys, grams = self._pairs(old)
        cursor.execute(
            f"DELETE FROM {GRAMS_TABLE} g USING unnest(%s::text[], %s::bigint[]) AS t(gram, rank_key) "  # noqa: S608
            "WHERE g.gram = t.gram AND g.rank_key = t.rank_key",
            [grams, keys],
        )

    def add(self, cursor: CursorWrapper, rows: Sequence[tuple[Any, ...]]) -> None:
        # One statement: the rows go in as arrays, and their terms are split out on the server for the
        # rows actually inserted, sorted (B-tree inserts in key order touch each page once).
        # Measured on 20,000 imported penalty rows: half the time of executemany followed by an
        # insert of client-side (gram, rank_key) arrays.
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        cursor.execute(
            f"WITH new AS (INSERT INTO subjects_subjectsearch ({', '.join(_COLUMNS)}) "  # noqa: S608 - no input
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::boolean[], %s::text[], "
            "%s::text[], %s::text[]) ON CONFLICT DO NOTHING RETURNING rank_key, grams) "
            f"INSERT INTO {GRAMS_TABLE} (gram, rank_key) SELECT DISTINCT t.gram, new.rank_key "
            "FROM new, unnest(string_to_array(new.grams, ' ')) AS t(gram) ORDER BY 1, 2 ON CONFLICT DO NOTHING",
            [list(column) for column in columns],
        )

    @staticmethod
    def _pairs(rows: Sequence[tuple[int, str]]) -> tuple[list[int], list[str]]:
        pairs = {(gram, key) for key, grams in rows for gram in grams.split()}  # a name may repeat a bigram
        return [key for _, key in pairs], [gram for gram, _ in pairs]

    def plans(self, text: str) -> dict[bool, Any]:
        """Per tier (starts with: True), the term to walk."""
        pairs = _pairs(text)
        tiers = {True: [START + pairs[0], *pairs[1:]], False: pairs}
        if len(pairs) == 1:
            return {prefix: terms[0] for prefix, terms in tiers.items()}  # one term each: nothing to choose
        rarity = self._frequencies() or self._counts({term for terms in tiers.values() for term in terms})
        # A term missing from the most common ones is rarer than all of them.
        return {prefix: min(terms, key=lambda term: rarity.get(term, 0)) for prefix, terms in tiers.items()}

    def _frequencies(self) -> dict[str, float]:
        fetched, common = _PostgreSQL._common
        if time.monotonic() - fetched < self.STATISTICS_TTL:
            return common
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT m.gram, m.frequency FROM pg_stats, "
                "unnest(most_common_vals::text::text[], most_common_freqs) AS m(gram, frequency) "
                "WHERE schemaname = current_schema() AND tablename = %s AND attname = 'gram'",
                [GRAMS_TABLE],
            )
            common = dict(cursor.fetchall())
        _PostgreSQL._common = (time.monotonic(), common)
        return common

    def _counts(self, terms: set[str]) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.gram, (SELECT count(*) FROM (SELECT 1 FROM "  # noqa: S608 - no input
                f"{GRAMS_TABLE} g WHERE g.gram = t.gram LIMIT %s) c) FROM unnest(%s::text[]) AS t(gram)",
                [self.COUNT_CAP, sorted(terms)],
            )
            return dict(cursor.fetchall())

    def hits(self, plan: Any, text: str, *, prefix: bool) -> tuple[str, list[Any]]:
        walk = f"SELECT g.rank_key FROM {GRAMS_TABLE} g WHERE g.gram = %s"  # noqa: S608 - no input
        if len(text) == 2:
            sql, params = walk, [plan]  # the one term is the query: nothing to check
        else:
            # Checked per walked posting by a correlated subquery, which PostgreSQL cannot turn into
            # a join: as a join, the planner merged the whole rank-ordered table against the list.
            test = "starts_with(s.normalised, %s)" if prefix else "strpos(s.normalised, %s) > 0"
            check = f"(SELECT {test} FROM subjects_subjectsearch s WHERE s.rank_key = g.rank_key)"  # noqa: S608
            sql, params = f"{walk} AND {check}", [plan, text]
        return f"{sql} AND g.rank_key > %s AND g.rank_key < %s ORDER BY g.rank_key LIMIT %s", params


def _backend() -> _Backend:
    return _PostgreSQL() if bulk.is_postgresql() else _SQLite()
