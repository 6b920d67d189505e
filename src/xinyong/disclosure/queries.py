"""The one read path to credit records for display (ARCHITECTURE principle 1).

Every page, API call and export that shows a subject's records goes through ``read_subject``: it
decides the basis (``access.decide``), reads the latest version of each record, masks what this
viewer may not see and appends the read to the audit trail with a fingerprint of what was shown.
Publication windows and status overlays join here with the publication issue.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import F

from xinyong.accounts.models import User
from xinyong.audit.models import AuditEntry
from xinyong.audit.services import Actor, record
from xinyong.catalog.models import RecordKind
from xinyong.core import clock, errors
from xinyong.core.errors import PlatformError
from xinyong.disclosure.access import Basis, Decision, decide
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.subjects.codes import mask_resident_id
from xinyong.subjects.models import Subject

VIEW_OWN = "subject.view_own"
VIEW_OTHER = "subject.view_nonpublic"
#: Field codes carrying ID numbers end like this in every kind's schema (cf_xdr_zjhm, cf_fr_zjhm …).
ID_NUMBER_SUFFIX = "_zjhm"


@dataclass(frozen=True)
class RecordView:
    record_id: int
    kind: str
    kind_name: str
    domain: str
    key: str
    decision_date: dt.date
    version: int
    provider: str
    fields: list[tuple[str, str]]


@dataclass(frozen=True)
class SubjectView:
    code: str
    name: str
    kind: str
    basis: Basis
    purpose: str
    records: list[RecordView]


def _field_names(kind_ids: set[int]) -> dict[int, dict[str, str]]:
    return {
        k.pk: {f["code"]: f["name"] for f in k.schema} for k in RecordKind.objects.filter(pk__in=kind_ids)
    }


def read_subject(viewer: User, subject_code: str, purpose_code: str = "") -> SubjectView:
    """What ``viewer`` may see of a subject now, on the record. Raises a refusal without a basis."""
    at = clock.now()
    decision = decide(viewer, subject_code, purpose_code, at)
    subject = Subject.objects.filter(code=subject_code).first()
    if subject is None:
        raise PlatformError(errors.NOT_FOUND, field="subject")
    unmasked = decision.basis in (Basis.SELF, Basis.STAFF)
    versions = (
        RecordVersion.objects.filter(subject_code=subject_code, version=F("record__latest_version"))
        .select_related("record__provider", "record__domain")
        .order_by("-record__decision_date", "record_id")
    )
    if not unmasked:
        # Held records (重错码) are not published as-is: only the centre and the subject see them.
        versions = versions.exclude(record__hold=CreditRecord.Hold.CODE_CONFLICT)
    versions_list = list(versions)
    names = _field_names({v.kind_id for v in versions_list})
    kinds = dict(RecordKind.objects.values_list("code", "name"))
    records = [
        RecordView(
            record_id=v.record_id,
            kind=v.record.kind_code,
            kind_name=kinds.get(v.record.kind_code, v.record.kind_code),
            domain=v.record.domain.name,
            key=v.record.key,
            decision_date=v.record.decision_date,
            version=v.version,
            provider=v.record.provider.name,
            fields=[
                (
                    names[v.kind_id].get(code, code),
                    value if unmasked or not code.endswith(ID_NUMBER_SUFFIX) else mask_resident_id(value),
                )
                for code, value in v.data.items()
            ],
        )
        for v in versions_list
    ]
    view = SubjectView(
        code=subject.code if unmasked else subject.public_code,
        name=subject.name,
        kind=subject.get_kind_display(),
        basis=decision.basis,
        purpose=decision.purpose,
        records=records,
    )
    _audit_read(viewer, subject_code, decision, view)
    return view


def _audit_read(viewer: User, subject_code: str, decision: Decision, view: SubjectView) -> None:
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


def lookups_of(subject_code: str, *, limit: int = 200) -> list[AuditEntry]:
    """Who read this subject's non-public information, newest first (the subject's own reads excluded)."""
    return list(
        AuditEntry.objects.filter(subject_code=subject_code, action=VIEW_OTHER).order_by("-seq")[:limit]
    )
