"""The demo city's part (demo.measures): the showcase defaulter's legal representatives."""

from __future__ import annotations

import pytest
import time_machine

from xinyong.catalog.models import Domain, RecordKind
from xinyong.catalog.services import create_provider
from xinyong.conftest import ProviderPersona
from xinyong.demo.measures import AFTER_LISTING, AT_LISTING, DEFAULTER, seed_joint_measures
from xinyong.demo.synthetic import DEPARTMENTS
from xinyong.measures.services import check_subject
from xinyong.measures.tests.personas import NOW, post, serious_listing, unit_officer
from xinyong.subjects.codes import complete_uscc

pytestmark = pytest.mark.django_db


def test_the_demo_links_the_representative_in_office_at_the_listing_only() -> None:
    provider, key = create_provider(
        code=DEPARTMENTS[25].uscc, name=DEPARTMENTS[25].name, domains=[Domain.objects.get(number=25)],
        kind_codes=set(RecordKind.objects.values_list("code", flat=True)) - {"registration", "red_list"},
    )  # fmt: skip
    post(ProviderPersona(provider, key), [serious_listing(complete_uscc("9135020677776666"), DEFAULTER,
                                                          列入日期="2023-04-16")], "serious_dishonesty_list")  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        seed_joint_measures()
        seed_joint_measures()  # twice: nothing new
        officer = unit_officer()
        reached = check_subject(
            officer, AT_LISTING[1], "bidding", "procurement_bidding_funding_land_research"
        )
        later = check_subject(
            officer, AFTER_LISTING[1], "bidding", "procurement_bidding_funding_land_research"
        )
    assert [m["code"] for m in reached.result["measures"]] == ["bidding.restrict_serious"]
    assert later.result["measures"] == []
