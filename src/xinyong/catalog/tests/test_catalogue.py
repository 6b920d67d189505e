"""The catalogue seeded from data/: 37 domains, consistent kind schemas, versions by effective date."""

from __future__ import annotations

import datetime as dt

import pytest

from xinyong.catalog.models import Domain, RecordKind
from xinyong.catalog.reference import codelists
from xinyong.catalog.seeding import seed_reference_data
from xinyong.collection.services import kind_in_force
from xinyong.core.errors import PlatformError

pytestmark = pytest.mark.django_db

REQUIRED_KINDS = {
    "licence", "penalty", "enforcement", "serious_dishonesty_list", "key_attention_list",
    "abnormal_operation", "arrears", "commitment_breach", "commendation", "commitment",
}  # fmt: skip
SUBJECT_ROLES = {
    "name",
    "category",
    "uscc",
    "registration_no",
    "legal_representative",
    "id_type",
    "id_number",
}


def test_the_37_domains_of_seed_000_are_seeded() -> None:
    assert list(Domain.objects.values_list("number", flat=True)) == list(range(1, 38))
    assert Domain.objects.get(number=1).city_units == "厦门市中级人民法院"
    assert Domain.objects.get(number=37).name == "烟草专卖领域"


def test_every_required_kind_exists_with_a_consistent_schema() -> None:
    kinds = {k.code: k for k in RecordKind.objects.all()}
    assert set(kinds) >= REQUIRED_KINDS
    lists = codelists()
    for kind in kinds.values():
        codes = [f["code"] for f in kind.schema]
        names = [f["name"] for f in kind.schema]
        assert len(codes) == len(set(codes)) and len(names) == len(set(names)), kind.code
        assert set(kind.subject_fields) == SUBJECT_ROLES, kind.code
        assert set(kind.subject_fields.values()) <= set(codes), kind.code
        assert {kind.key_field, kind.decision_date_field} <= set(codes), kind.code
        assert all(f["codelist"] in lists for f in kind.schema if "codelist" in f), kind.code


def test_penalties_carry_every_dual_publicity_field_code() -> None:
    codes = {f["code"] for f in RecordKind.objects.get(code="penalty").schema}
    assert {
        "cf_xdr_mc", "cf_xdr_lb", "cf_xdr_shxym", "cf_xdr_gszc", "cf_xdr_zzjg", "cf_xdr_swdj", "cf_xdr_sydw",
        "cf_xdr_shzz", "cf_frdb", "cf_fr_zjlx", "cf_fr_zjhm", "cf_xdr_zjlx", "cf_xdr_zjhm", "cf_wsh", "cf_wfxw",
        "cf_sy", "cf_yj", "cf_cflb", "cf_nr", "cf_nr_fk", "cf_nr_wfff", "cf_nr_zkdx", "cf_jdrq", "cf_yxq",
        "cf_gsjzq", "cf_cfjg", "cf_cfjgdm", "cf_sjly", "cf_sjlydm", "bz",
    } <= codes  # fmt: skip


def test_seeding_again_neither_duplicates_nor_overwrites_staff_edits() -> None:
    penalty = RecordKind.objects.get(code="penalty")
    penalty.name = "行政处罚（已由中心编辑）"
    penalty.save()

    seed_reference_data()

    assert RecordKind.objects.filter(code="penalty").count() == 1
    assert RecordKind.objects.get(code="penalty").name == "行政处罚（已由中心编辑）"
    assert Domain.objects.count() == 37


def test_the_version_in_force_on_a_date_is_used() -> None:
    v1 = RecordKind.objects.get(code="penalty")
    v1.effective_to = dt.date(2026, 3, 31)
    v1.save()
    v2 = RecordKind.objects.create(
        **{f.name: getattr(v1, f.name) for f in RecordKind._meta.fields if f.name not in ("id", "version")},
        version=2,
    )
    RecordKind.objects.filter(pk=v2.pk).update(effective_from=dt.date(2026, 4, 1), effective_to=None)

    assert kind_in_force("penalty", dt.date(2026, 3, 31)).version == 1
    assert kind_in_force("penalty", dt.date(2026, 4, 1)).version == 2
    with pytest.raises(PlatformError):
        kind_in_force("penalty", dt.date(2020, 7, 31))
