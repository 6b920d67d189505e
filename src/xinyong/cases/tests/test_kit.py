"""The case kit as the three workflows use it: one history shape, links from the URL names."""

from __future__ import annotations

import pytest
from django.db import models

from xinyong.cases.kit import CaseKit, Job
from xinyong.cases.models import CaseEvent
from xinyong.commitments.machine import KIT as COMMITMENTS
from xinyong.commitments.models import Commitment, CommitmentEvent
from xinyong.disputes.models import Objection, ObjectionEvent
from xinyong.disputes.workflow import KIT as OBJECTIONS
from xinyong.repairs.models import RepairApplication, RepairEvent
from xinyong.repairs.workflow import KIT as REPAIRS

KIT_FIELDS = {f.name for f in CaseEvent._meta.get_fields()}


@pytest.mark.parametrize(
    ("model", "case_field"),
    [(ObjectionEvent, "objection"), (RepairEvent, "application"), (CommitmentEvent, "commitment")],
)
def test_it_gives_every_case_history_the_same_fields(model: type[models.Model], case_field: str) -> None:
    assert {f.name for f in model._meta.get_fields()} == KIT_FIELDS | {"id", case_field}
    assert model._meta.get_field(case_field).remote_field.related_name == "events"  # type: ignore[union-attr]


def test_it_links_each_case_to_its_page_by_url_name() -> None:
    assert OBJECTIONS.link(Objection(number="YY20261122-0001")) == "/objections/YY20261122-0001/"
    assert REPAIRS.link(RepairApplication(number="XF-2026-000001")) == "/repairs/XF-2026-000001/"
    assert COMMITMENTS.link(Commitment(pk=7)) == "/workspace/commitments/7/"


def test_it_names_a_job_in_the_history_and_on_the_trail() -> None:
    job = Job("repair overdue", "系统")
    assert (REPAIRS.actor_name(job), CaseKit.audit_actor(job).name) == ("系统", "repair overdue")
