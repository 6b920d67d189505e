"""The measure catalogue is data: seeded from the file, versioned, checked, editable by staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xinyong.catalog.models import RecordKind
from xinyong.measures.evaluation import measures_in_force
from xinyong.measures.models import Measure, Scenario
from xinyong.measures.seeding import seed_measures
from xinyong.measures.triggers import check_triggers

pytestmark = pytest.mark.django_db

SCENARIOS = {"bidding", "procurement", "funding", "honours", "approval", "state_assets", "civil_service",
             "market_entry", "inspection"}  # fmt: skip


def test_every_scenario_is_seeded_with_measures_that_have_a_legal_basis() -> None:
    assert set(Scenario.objects.values_list("code", flat=True)) == SCENARIOS
    for scenario in Scenario.objects.all():
        measures = measures_in_force(scenario, dt.date(2026, 11, 22))
        assert measures, scenario.code
        assert all(m.basis and m.instruction for m in measures)


def test_red_lists_and_registrations_are_record_kinds_of_the_catalogue() -> None:
    red = RecordKind.objects.get(code="red_list")
    assert red.category == "trust"
    assert "名单类型" in {f["name"] for f in red.schema}
    registration = RecordKind.objects.get(code="registration")
    assert {"法定代表人证件号码", "主要负责人证件号码", "实际控制人证件号码"} <= {
        f["name"] for f in registration.schema
    }


def test_seeding_again_keeps_staff_edits_and_adds_new_versions() -> None:
    measure = Measure.objects.get(code="bidding.restrict_serious", version=1)
    measure.instruction = "经办人员改写的处理要求"
    measure.save()
    assert seed_measures() == 0
    measure.refresh_from_db()
    assert measure.instruction == "经办人员改写的处理要求"


def test_a_new_version_replaces_the_old_from_its_effective_date() -> None:
    old = Measure.objects.get(code="approval.green_channel", version=1)
    old.effective_to = dt.date(2026, 12, 31)
    old.save()
    new = Measure.objects.create(**{
        f.name: getattr(old, f.name) for f in Measure._meta.fields if f.name not in ("id", "version", "effective_from", "effective_to")
    }, version=2, effective_from=dt.date(2027, 1, 1))  # fmt: skip
    approval = Scenario.objects.get(code="approval")
    assert old in measures_in_force(approval, dt.date(2026, 12, 31))
    assert new not in measures_in_force(approval, dt.date(2026, 12, 31))
    assert new in measures_in_force(approval, dt.date(2027, 1, 1))
    assert old not in measures_in_force(approval, dt.date(2027, 1, 1))


@pytest.mark.parametrize(
    "triggers",
    [[], [{"kind": "no_such_kind"}], [{"kind": "red_list", "field": "无此字段", "values": ["x"]}],
     [{"kind": "penalty", "severity": "huge"}], [{"kind": "penalty", "typo": 1}]],
)  # fmt: skip
def test_it_refuses_triggers_that_would_silently_match_nothing(triggers: list[dict[str, object]]) -> None:
    with pytest.raises(ValidationError):
        check_triggers(triggers, where="test")
