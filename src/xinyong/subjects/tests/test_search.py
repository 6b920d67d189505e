"""Public subject search: codes, two-character name fragments, ranking, former names, privacy, paging."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinyong.conftest import COMPANY_USCC, PERSON_ID, ProviderPersona, penalty, person_penalty
from xinyong.core import clock
from xinyong.core.testing import travel_to
from xinyong.subjects import search as search_module
from xinyong.subjects.codes import CodeProblem, complete_resident_id, complete_uscc
from xinyong.subjects.models import Subject, SubjectSearch
from xinyong.subjects.search import MatchKind, Refusal, bigrams, index_subjects, search
from xinyong.subjects.services import upsert_subjects

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today() -> Any:
    with travel_to("2026-11-22 10:00"):
        yield


class Sighting(NamedTuple):
    code: str
    name: str
    kind: str = Subject.Kind.ORGANISATION
    code_type: str = Subject.CodeType.USCC
    legal_representative: str = "陈志明"
    code_problem: CodeProblem | None = None


def uscc(number: int) -> str:
    return complete_uscc(f"91350203{10_000_000 + number:08d}")


def add(*names: str, day: dt.date = dt.date(2026, 1, 5)) -> list[str]:
    """Subjects with these names, created in this order through the intake's upsert; their codes."""
    start = Subject.objects.count()
    codes = [uscc(start + i) for i in range(len(names))]
    for code, name in zip(codes, names, strict=True):
        upsert_subjects([(Sighting(code, name), day)], now=clock.now())
    return codes


def names(q: str, **paging: int) -> list[str]:
    return [hit.former_name or hit.name for hit in search(q, **paging).hits]


def get(client: Any, **params: Any) -> Any:
    return client.get("/api/v1/subjects", params)


# ---------------------------------------------------------------------------------------------------
# Bigrams and normalising


def test_bigrams_fold_full_width_and_drop_spaces_and_punctuation() -> None:
    assert bigrams("厦门（鹭江） Ａb·1") == ["厦门", "门鹭", "鹭江", "江a", "ab", "b1"]
    assert bigrams("鹭") == []


def test_a_query_is_normalised_like_the_names() -> None:
    add("厦门ABC科技有限公司", "鹭江（厦门）贸易有限公司")

    assert names("ａｂｃ科技") == ["厦门ABC科技有限公司"]
    assert names("鹭江 厦门") == ["鹭江（厦门）贸易有限公司"]


# ---------------------------------------------------------------------------------------------------
# Through the real intake


def test_a_two_character_query_finds_a_company_reported_through_the_api(
    client: Any, market_bureau: ProviderPersona
) -> None:
    assert market_bureau.post(client, [penalty()]).status_code == 200

    page = search("鹭江")

    assert [(h.name, h.code, h.match) for h in page.hits] == [
        ("厦门鹭江贸易有限公司", COMPANY_USCC, MatchKind.CONTAINS)
    ]


def test_a_renamed_company_is_found_by_its_former_name_below_current_names(
    client: Any, market_bureau: ProviderPersona
) -> None:
    market_bureau.post(client, [penalty(处罚决定日期="2025-03-01")])
    market_bureau.post(
        client,
        [
            penalty(
                行政处罚决定书文号="厦市监罚〔2026〕9号",
                行政相对人名称="厦门海韵科技有限公司",
                处罚决定日期="2026-06-01",
            )
        ],
    )
    add("厦门鹭江贸易集团股份有限公司")  # longer, but its current name matches

    hits = search("鹭江贸易").hits

    assert [(h.name, h.former_name) for h in hits] == [
        ("厦门鹭江贸易集团股份有限公司", None),
        ("厦门海韵科技有限公司", "厦门鹭江贸易有限公司"),
    ]
    assert hits[1].code == COMPANY_USCC
    assert names("海韵科技") == ["厦门海韵科技有限公司"]


def test_a_persons_full_id_number_reveals_nothing(client: Any, market_bureau: ProviderPersona) -> None:
    """GIVEN a person with a public penalty WHEN someone types their full ID number THEN the answer is
    the one an unknown number gets: no hit, no name, the number echoed masked."""
    assert market_bureau.post(client, [person_penalty()]).json()["results"][0]["status"] == "created"
    unknown = complete_resident_id("35020319900101001")

    assert search("林小华").hits == []
    assert search("小华").hits == []
    assert not SubjectSearch.objects.exists()
    known, stranger = get(client, q=PERSON_ID), get(client, q=unknown)

    assert (known.status_code, stranger.status_code) == (200, 200)
    assert known.json()["hits"] == stranger.json()["hits"] == []
    assert known.json()["query"] == PERSON_ID[:6] + "********" + PERSON_ID[-4:]
    assert stranger.json()["query"] == unknown[:6] + "********" + unknown[-4:]
    assert PERSON_ID not in known.content.decode() and "林" not in known.content.decode()
    page = client.get("/search/", {"q": PERSON_ID}).content.decode()
    assert "林" not in page and "/s/" not in page  # (the page keeps what the visitor typed in its form)


# ---------------------------------------------------------------------------------------------------
# Ranking


def test_an_exact_code_finds_its_subject() -> None:
    add("厦门鹭江贸易有限公司", "厦门白鹭科技有限公司")

    page = search(f" {uscc(1).lower()} ")

    assert [(h.name, h.match) for h in page.hits] == [("厦门白鹭科技有限公司", MatchKind.CODE)]
    assert search(uscc(99)).hits == []


def test_an_exact_name_comes_before_names_containing_it() -> None:
    add("厦门鹭江贸易有限公司思明分公司", "厦门鹭江贸易有限公司", "厦门市鹭江贸易有限公司")

    hits = search("厦门鹭江贸易有限公司").hits

    assert [(h.name, h.match) for h in hits] == [
        ("厦门鹭江贸易有限公司", MatchKind.EXACT),
        ("厦门鹭江贸易有限公司思明分公司", MatchKind.PREFIX),
    ]


def test_names_starting_with_the_query_then_shorter_names_come_first() -> None:
    add(
        "厦门鹭江贸易集团股份有限公司",
        "厦门市鹭江贸易有限公司",
        "厦门鹭江贸易有限公司",
        "鹭江贸易（厦门）有限公司",
        "鹭江贸易有限公司",
        "鹭江贸易",
        "厦门鹭港贸易有限公司",  # no match
    )

    assert names("鹭江贸易") == [
        "鹭江贸易",
        "鹭江贸易有限公司",
        "鹭江贸易（厦门）有限公司",
        "厦门鹭江贸易有限公司",
        "厦门市鹭江贸易有限公司",
        "厦门鹭江贸易集团股份有限公司",
    ]


def test_names_of_equal_rank_keep_the_older_subject_first() -> None:
    add("厦门鹭江茶业有限公司", "厦门鹭江水产有限公司", "厦门鹭江食品有限公司")

    assert names("鹭江") == ["厦门鹭江茶业有限公司", "厦门鹭江水产有限公司", "厦门鹭江食品有限公司"]


def test_a_subject_is_listed_once_even_when_several_of_its_names_match() -> None:
    [code] = add("厦门鹭江贸易有限公司")
    for day, name in (
        (dt.date(2026, 2, 1), "厦门鹭江商贸有限公司"),
        (dt.date(2026, 3, 1), "厦门鹭江科技有限公司"),
    ):
        upsert_subjects([(Sighting(code, name), day)], now=clock.now())

    hits = search("鹭江").hits

    assert [(h.name, h.former_name) for h in hits] == [("厦门鹭江科技有限公司", None)]
    assert SubjectSearch.objects.filter(subject__code=code).count() == 3


def test_a_subject_with_a_failed_check_character_is_not_listed() -> None:
    wrong = uscc(7)[:17] + ("0" if uscc(7)[17] != "0" else "1")
    sighting = Sighting(wrong, "厦门鹭江贸易有限公司", code_problem=CodeProblem.CHECK)
    upsert_subjects([(sighting, dt.date(2026, 1, 5))], now=clock.now())

    assert search("鹭江").hits == []
    assert search(wrong).hits == []


# ---------------------------------------------------------------------------------------------------
# Refusals and paging


@pytest.mark.parametrize("q", ["", "鹭", " 鹭 ", "（鹭）", "A", "·"])
def test_a_query_shorter_than_two_characters_is_refused(client: Any, q: str) -> None:
    add("鹭", "厦门鹭江贸易有限公司")

    page = search(q)
    response = get(client, q=q)

    assert (page.hits, page.refusal) == ([], Refusal.TOO_SHORT)
    assert response.status_code == 400
    assert response.json()["code"] == "search.query_too_short"
    assert response.json()["field"] == "q"


def test_pages_follow_each_other_without_gaps_or_repeats() -> None:
    add(*(f"厦门鹭江{word}有限公司" for word in "甲乙丙丁戊己庚"))
    everything = names("鹭江", limit=50)

    pages = [search("鹭江", limit=3, offset=offset) for offset in (0, 3, 6)]

    assert len(everything) == 7
    assert [hit.name for page in pages for hit in page.hits] == everything
    assert [page.has_more for page in pages] == [True, True, False]


def test_paging_is_limited(client: Any) -> None:
    add("厦门鹭江贸易有限公司")

    assert get(client, q="鹭江", limit=51).json()["code"] == "request.invalid"
    too_deep = get(client, q="鹭江", offset=490, limit=20)
    assert (too_deep.status_code, too_deep.json()["code"]) == (400, "search.page_too_deep")
    assert search("鹭江", offset=490, limit=20).refusal == Refusal.TOO_DEEP


def test_the_api_answers_with_public_fields_only(client: Any) -> None:
    add("厦门鹭江贸易有限公司", "厦门白鹭科技有限公司")

    response = get(client, q="鹭江", limit=1)

    assert response.status_code == 200
    assert response.json() == {
        "query": "鹭江",
        "hits": [
            {
                "code": uscc(0),
                "name": "厦门鹭江贸易有限公司",
                "kind": "organisation",
                "kind_label": "法人及非法人组织",
                "match": "contains",
                "former_name": None,
            }
        ],
        "limit": 1,
        "offset": 0,
        "has_more": False,
    }


# ---------------------------------------------------------------------------------------------------
# Index maintenance


def test_reindexing_costs_the_same_few_queries_for_any_number_of_subjects() -> None:
    small = [Subject.objects.get(code=c).pk for c in add(*(f"厦门鹭江{i}号贸易有限公司" for i in range(3)))]
    large = [Subject.objects.get(code=c).pk for c in add(*(f"厦门白鹭{i}号科技有限公司" for i in range(40)))]

    with CaptureQueriesContext(connection) as few:
        index_subjects(small)
    with CaptureQueriesContext(connection) as many:
        index_subjects(large)

    assert len(few) == len(many) <= 7
    assert len(names("鹭江", limit=50)) == 3  # indexed twice, listed once
    assert SubjectSearch.objects.count() == 43


def test_a_renamed_subject_leaves_no_trace_of_its_old_current_name() -> None:
    [code] = add("厦门鹭江贸易有限公司")
    upsert_subjects([(Sighting(code, "厦门海韵科技有限公司"), dt.date(2026, 6, 1))], now=clock.now())

    rows = SubjectSearch.objects.filter(subject__code=code).order_by("rank_key")

    assert [(r.name, r.is_current) for r in rows] == [
        ("厦门海韵科技有限公司", True),
        ("厦门鹭江贸易有限公司", False),
    ]
    assert rows[0].grams.split()[-1] == "＾厦门"  # the start term, after the bigrams
    assert [(h.name, h.former_name) for h in search("鹭江").hits] == [
        ("厦门海韵科技有限公司", "厦门鹭江贸易有限公司")
    ]


def test_postgresql_walks_the_rarest_term_once_statistics_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 intersects the terms itself")
    add("厦门鹭江贸易有限公司", "厦门鹭江科技有限公司", "厦门市鹭江贸易有限公司", "厦门白鹭贸易有限公司")
    without_statistics = names("鹭江贸易")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {search_module.GRAMS_TABLE}")
    monkeypatch.setattr(search_module._PostgreSQL, "_common", (float("-inf"), {}))

    assert names("鹭江贸易") == without_statistics == ["厦门鹭江贸易有限公司", "厦门市鹭江贸易有限公司"]
    assert search_module._PostgreSQL._common[1]["公司"] > 0
