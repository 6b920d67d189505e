"""Batch checks (信用互查互认): submitting a file, and checking it in the task worker.

Checking is set-based: per chunk of codes, one query for the subjects, one per kind of fact (standing
entries of every list kind and of the scenario's trigger kinds, penalties by severity and domain) and the
person links, whatever the number of codes. Every subject checked is put on the audit trail in one
statement (``audit.services.record_many``), so each sees the check under "who looked".
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from xinyong.accounts import errors as account_errors
from xinyong.accounts.models import User
from xinyong.audit.services import Actor, record, record_many
from xinyong.checks import errors, outputs
from xinyong.checks.models import BatchCheck
from xinyong.checks.reading import read_codes
from xinyong.checks.rules import PENALTY_LOOKBACK
from xinyong.collection import readers
from xinyong.core import clock
from xinyong.core.errors import PlatformError
from xinyong.disclosure.access import decide
from xinyong.measures.evaluation import applicable, measures_in_force, trigger_kinds
from xinyong.measures.facts import chunks, penalty_tallies, standing_entries
from xinyong.measures.models import PersonLink
from xinyong.measures.services import officer_of, scenario_of, unit_of
from xinyong.measures.triggers import GRADE
from xinyong.records.publication import add_months
from xinyong.subjects.models import Subject

#: The lists a result sheet shows for each subject (名单 in force), beside the scenario's trigger kinds.
LIST_KINDS = ("serious_dishonesty_list", "key_attention_list", "abnormal_operation", "red_list")
PROGRESS_CHUNK = 2000


def _number(at: dt.datetime, pk: int) -> str:
    """HC + the day + the row's id: unique without counting (two uploads at once cannot collide)."""
    return f"HC{clock.local_date(at):%Y%m%d}{pk:06d}"


def submit(user: User, source: Path, *, filename: str, scenario: str, purpose: str) -> BatchCheck:
    """Reads the file now (refusing a bad file before anything is queued) and registers the batch; the
    caller enqueues ``tasks.run_batch_check``."""
    officer = officer_of(user)
    chosen = scenario_of(scenario)
    at = clock.now()
    if not purpose:
        raise PlatformError(account_errors.QUERY_PURPOSE_REQUIRED, field="purpose")
    stated = decide(officer, "", purpose, at).purpose  # refuses a purpose the unit lacks
    read = read_codes(source, filename)
    if not read.subjects:
        raise PlatformError(errors.NO_CODES, field="file", count=len(read.rejected))
    digest = readers.sha256_of(source)
    stored = Path(settings.CHECKS_DIR) / f"{digest}{Path(filename).suffix.lower()}"
    stored.parent.mkdir(parents=True, exist_ok=True)
    if not stored.exists():
        shutil.copyfile(source, stored)
    with transaction.atomic():
        batch = BatchCheck.objects.create(
            number=f"~{secrets.token_hex(8)}", unit=unit_of(officer), officer=officer, scenario=chosen, purpose=stated,
            filename=filename[:255], file_sha256=digest, subjects=[list(s) for s in read.subjects],
            rejected=read.rejected, total=len(read.subjects), created_at=at,
        )  # fmt: skip
        batch.number = _number(at, batch.pk)
        batch.save(update_fields=["number"])
        record(
            actor=Actor.of_user(officer), action="checks.batch_submit", purpose=stated, object_type="batch_check",
            object_id=batch.number,
            detail={"scenario": chosen.code, "subjects": batch.total, "rejected": len(read.rejected),
                    "file_sha256": digest},
        )  # fmt: skip
    return batch


def _claim(batch: BatchCheck) -> bool:
    """Takes a queued batch for this run (a conditional update: a second worker gets nothing)."""
    claimed = BatchCheck.objects.filter(pk=batch.pk, state=BatchCheck.State.QUEUED).update(
        state=BatchCheck.State.RUNNING, started_at=clock.now()
    )
    return claimed == 1


def run(batch: BatchCheck) -> BatchCheck:
    """Checks every code of the batch and writes the sheet and the signed statistics sheet."""
    if not _claim(batch):
        batch.refresh_from_db()
        return batch
    at = clock.now()
    on = clock.local_date(at)
    measures = measures_in_force(batch.scenario, on)
    kinds = {*LIST_KINDS, GRADE, *trigger_kinds(measures)}
    since = add_months(on, -PENALTY_LOOKBACK.on(on).value)
    rows: list[dict[str, Any]] = []
    by_code = {code: (row, name) for row, code, name in batch.subjects}
    for chunk in chunks(by_code, PROGRESS_CHUNK):
        # Known to the platform: a subject with records, or a person named in an organisation's records.
        names = dict(
            PersonLink.objects.filter(person_code__in=chunk).values_list("person_code", "person_name")
        )
        names |= dict(Subject.objects.filter(code__in=chunk).values_list("code", "name"))
        entries = standing_entries(chunk, kinds, on)
        applied = applicable(chunk, batch.scenario, on, own=entries)
        penalties: dict[str, Counter[str]] = defaultdict(Counter)
        penalty_domains: dict[str, set[str]] = defaultdict(set)
        for tally in penalty_tallies(chunk, since, on):
            penalties[tally.subject_code][tally.severity] += tally.count
            penalty_domains[tally.subject_code].add(tally.domain)
        for code in chunk:
            row, given = by_code[code]
            listed = [e for e in entries.get(code, []) if e.kind in LIST_KINDS]
            rows.append({
                "row": row, "code": code, "given_name": given, "found": code in names, "name": names.get(code, ""),
                "lists": [{"name": e.list_name, "key": e.key, "decided": e.decided.isoformat(), "domain": e.domain}
                          for e in listed],
                "grade": next((e.values["等级"] for e in entries.get(code, []) if e.kind == GRADE), ""),
                "penalties": dict(penalties[code]), "penalty_domains": sorted(penalty_domains[code]),
                "measures": [a.as_dict() for a in applied.get(code, [])],
            })  # fmt: skip
        BatchCheck.objects.filter(pk=batch.pk).update(done=len(rows))
    rows.sort(key=lambda r: r["row"])
    batch.counts = outputs.statistics(rows, batch.rejected)
    with transaction.atomic():
        record_many(
            actor=Actor.of_user(batch.officer), action="checks.batch_check", purpose=batch.purpose,
            entries=[{
                "subject_code": r["code"], "object_type": "batch_check", "object_id": batch.number,
                "detail": {"scenario": batch.scenario.code},
                "result": {"measures": [m["ref"] for m in r["measures"]], "lists": r["lists"]},
            } for r in rows],
        )  # fmt: skip
        batch.sheet_path = str(outputs.write_sheet(batch, rows))
        batch.pdf_path, batch.pdf_sha256 = outputs.write_statement(batch, at)
        batch.state, batch.done, batch.finished_at = BatchCheck.State.DONE, len(rows), clock.now()
        batch.save()
    return batch


def fail(batch_id: int, reason: str) -> None:
    BatchCheck.objects.filter(pk=batch_id).update(
        state=BatchCheck.State.FAILED, error=reason[:500], finished_at=clock.now()
    )


def batches_of(user: User) -> Any:
    return BatchCheck.objects.filter(unit=unit_of(officer_of(user))).select_related("scenario")


def download(user: User, batch: BatchCheck, what: str) -> Path:
    """The result sheet (``sheet``) or the statistics sheet (``pdf``) of a finished batch, on the record."""
    if batch.state != BatchCheck.State.DONE:
        raise PlatformError(errors.NOT_READY, state=batch.get_state_display())
    record(
        actor=Actor.of_user(user), action="checks.batch_download", purpose=batch.purpose,
        object_type="batch_check", object_id=batch.number, detail={"file": what},
    )  # fmt: skip
    return Path(batch.sheet_path if what == "sheet" else batch.pdf_path)
