"""The financial bureau's list of companies entitled to the financial edition (金融专用版企业名单库).

《东莞市信用报告代替企业无违法违规证明改革实施方案》: 市金融工作局提供企业上市挂牌、上市挂牌后再融资、并购及相关联公司
名单，作为金融专用版信用报告的企业名单库. The bureau's officers (``Unit.financial_bureau``, permission
``reports.financial_list``) keep it through its page and the API; an operator may load the bureau's file
(``xinyong report financial-list``). Entries are deactivated, never deleted, and every change is audited.
"""

from __future__ import annotations

from django.db import transaction

from xinyong.audit.services import Actor, record
from xinyong.core import clock
from xinyong.core.errors import NOT_FOUND, PlatformError
from xinyong.reports import errors
from xinyong.reports.models import FinancialListEntry
from xinyong.subjects.codes import normalise, uscc_problem

_NAME_LIMIT = FinancialListEntry._meta.get_field("name").max_length or 0
_REASON_LIMIT = FinancialListEntry._meta.get_field("reason").max_length or 0


def _audit(actor: Actor, entry: FinancialListEntry, change: str) -> None:
    record(
        actor=actor,
        action="reports.financial_list",
        subject_code=entry.subject_code,
        object_type="financial_list",
        object_id=entry.subject_code,
        detail={"change": change, "name": entry.name, "reason": entry.reason, "active": entry.active},
    )


def put_entry(code: str, name: str, reason: str = "", *, actor: Actor) -> FinancialListEntry:
    """List a company (or list it again, with the name and reason given)."""
    code = normalise(code)
    problem = uscc_problem(code)
    if problem is not None:
        raise PlatformError(errors.FINANCIAL_LIST_CODE, field="subject_code", problem=problem.value)
    name, reason = name.strip(), reason.strip()
    if not name or len(name) > _NAME_LIMIT or len(reason) > _REASON_LIMIT:
        field = "reason" if name and len(name) <= _NAME_LIMIT else "name"
        raise PlatformError(
            errors.FINANCIAL_LIST_NAME, field=field, limit=_NAME_LIMIT, reason_limit=_REASON_LIMIT
        )
    with transaction.atomic():
        values = {"name": name, "reason": reason, "active": True}
        entry, created = FinancialListEntry.objects.update_or_create(
            subject_code=code, defaults=values, create_defaults={**values, "added_at": clock.now()}
        )
        _audit(actor, entry, "add" if created else "update")
    return entry


def remove_entry(code: str, *, actor: Actor) -> FinancialListEntry:
    """Take a company off the list: it may no longer request the financial edition; reports already
    issued stay valid. Idempotent."""
    with transaction.atomic():
        entry = FinancialListEntry.objects.select_for_update().filter(subject_code=normalise(code)).first()
        if entry is None:
            raise PlatformError(NOT_FOUND, field="subject_code")
        if entry.active:
            entry.active = False
            entry.save(update_fields=["active"])
            _audit(actor, entry, "remove")
    return entry
