"""Validating a chunk column by column (按列校验): the intake hot path.

``validate_rows`` returns, for every row, exactly what ``validation.validate_row`` returns: the same
``ValidRow`` or the same errors. It gets there set-wise. The rows of a chunk that share their headers
(all rows of a file, nearly all of an API call) are turned into columns; each column is checked in
one pass: printable text and stored length over the joined column, text lengths, required values,
and dates, amounts, code lists and authority codes once per distinct value (a chunk repeats them
on nearly every row). A row that any column check does not clear, a forbidden or unknown header,
anything unusual, goes to ``validate_row``, which finds and words its errors; so the acceptance
here only has to be conservative, never exhaustive, and the error codes, fields and messages stay
those of the row validator. What remains per row is assembling the validated mapping, the
subject's identity and the content hash.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

from xinyong.catalog.reference import forbidden_fields
from xinyong.collection.validation import (
    SIMPLIFIED_PROCEDURE,
    FieldSpec,
    IntakeContext,
    RowError,
    ValidRow,
    _check_value,
    _resolve_subject,
    _text,
    header_key,
    validate_row,
)

#: Field types whose check depends only on the value: checked once per distinct value of a column.
_BY_VALUE = frozenset({"date", "decimal", "choice", "multichoice", "uscc"})


def validate_rows(ctx: IntakeContext, rows: Sequence[Mapping[str, Any]]) -> list[ValidRow | list[RowError]]:
    """``[validate_row(ctx, row) for row in rows]``, computed column-wise for the common case."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, raw in enumerate(rows):
        groups.setdefault(tuple(raw), []).append(index)
    results: list[ValidRow | list[RowError]] = [[] for _ in rows]
    for members in groups.values():
        group = [rows[i] for i in members]
        for index, raw, accepted in zip(members, group, _accept(ctx, group), strict=True):
            results[index] = accepted if accepted is not None else validate_row(ctx, raw)
    return results


def _texts(ctx: IntakeContext, column: Sequence[Any], is_field: bool, slow: set[int]) -> list[str]:
    """A column's values as the row validator reads them (``_text``); a JSON value that is not a
    string in a field column is left to the row validator (it may be an error or an amount)."""
    if all(type(v) is str for v in column):
        return [v.strip() for v in column]
    texts = []
    for index, value in enumerate(column):
        if type(value) is str:
            texts.append(value.strip())
        elif value is None:
            texts.append("")
        else:
            if ctx.json_values and is_field:
                slow.add(index)
            texts.append(_text(value))
    return texts


def _canonical(ctx: IntakeContext, spec: FieldSpec, texts: list[str], slow: set[int]) -> list[str]:
    """The column's values in canonical form ("" where empty); rows whose value fails go to ``slow``."""
    if spec.type not in _BY_VALUE:
        # Text and the other kinds are only bounded in length (``_check_value``'s last line).
        limit = spec.max_length
        slow.update(i for i, t in enumerate(texts) if len(t) > limit)
        return texts
    found: dict[str, str | None] = {}
    for text in set(texts):
        if text:
            problems: list[RowError] = []
            value = _check_value(ctx, spec, text, problems)
            # An empty canonical form of a non-empty value (";" in a multi-choice) stays a key with
            # an empty value in the row validator's mapping: rare enough to leave to it.
            found[text] = None if problems or not value else value
    canonical = []
    for index, text in enumerate(texts):
        if not text:
            canonical.append("")
            continue
        known = found[text]
        if known is None:
            slow.add(index)
            canonical.append("")
        else:
            canonical.append(known)
    return canonical


def _accept(ctx: IntakeContext, group: list[Mapping[str, Any]]) -> list[ValidRow | None]:
    """The ``ValidRow`` of each row of ``group`` (rows with the same headers) that clears every
    check, ``None`` for the rows to hand to ``validate_row``."""
    count = len(group)
    headers = tuple(str(h) for h in group[0])
    limit = settings.XINYONG_MAX_STORED_VALUE_CHARS
    layout = ctx.layout(headers)
    if (
        not headers
        or layout.duplicates
        or not "".join(headers).isprintable()
        or max(map(len, headers)) > limit
    ):
        return [None] * count
    columns = list(zip(*(row.values() for row in group), strict=True))
    slow: set[int] = set()
    texts_by_column: list[list[str]] = []
    for (_, role, _), column in zip(layout.columns, columns, strict=True):
        texts = _texts(ctx, column, role == "field", slow)
        if not "".join(texts).isprintable():
            slow.update(i for i, t in enumerate(texts) if not t.isprintable())
        if max(map(len, texts)) > limit:
            slow.update(i for i, t in enumerate(texts) if len(t) > limit)
        texts_by_column.append(texts)

    roles = ctx.kind.subject_fields
    is_person = [False] * count
    codes: list[str] = []
    canonical_columns: list[list[str]] = []
    domain_texts: list[str] | None = None
    unknown: list[tuple[str, list[str]]] = []
    for (header, role, code), texts in zip(layout.columns, texts_by_column, strict=True):
        if role == "field":
            if code == roles["category"]:
                is_person = [t == "自然人" for t in texts]
            codes.append(code)
            canonical_columns.append(_canonical(ctx, ctx.fields[code], texts, slow))
        elif role == "domain":
            domain_texts = texts
        elif role == "unknown":
            unknown.append((header, texts))

    forbidden = forbidden_fields()
    for header, texts in unknown:
        key = header_key(header)
        if any(word in key for word in forbidden.never_collected):
            return [None] * count
        consent = any(word in key for word in forbidden.consent_required)
        slow.update(i for i, t in enumerate(texts) if t or (consent and is_person[i]))

    decision_field = ctx.kind.decision_date_field
    present = set(codes)
    if any(code not in present for code in ctx.required) or ctx.fields[decision_field].type != "date":
        return [None] * count
    by_code = dict(zip(codes, canonical_columns, strict=True))
    for code in ctx.required:
        slow.update(i for i, v in enumerate(by_code[code]) if not v)
    today = ctx.today.isoformat()
    # ISO dates compare as text; the canonical form of a date is ISO.
    slow.update(i for i, v in enumerate(by_code[decision_field]) if v > today)
    for code in ctx.procedure_fields:
        if code in by_code:
            procedure = by_code[code]
            slow.update(i for i in range(count) if is_person[i] and procedure[i] == SIMPLIFIED_PROCEDURE)

    if domain_texts is None:
        if ctx.default_domain_id is None:
            return [None] * count
        domain_ids: list[int | None] = [ctx.default_domain_id] * count
    else:
        domain_ids = [ctx.domains.get(t) if t else ctx.default_domain_id for t in domain_texts]
        slow.update(i for i, d in enumerate(domain_ids) if d is None)

    key_field = ctx.kind.key_field
    accepted: list[ValidRow | None] = [None] * count
    rows_of_texts = zip(*texts_by_column, strict=True)
    for index, (values, row_texts) in enumerate(
        zip(zip(*canonical_columns, strict=True), rows_of_texts, strict=True)
    ):
        if index in slow:
            continue
        data = {code: value for code, value in zip(codes, values, strict=True) if value}
        problems: list[RowError] = []
        subject = _resolve_subject(ctx, data, problems)
        domain_id = domain_ids[index]
        if problems or subject is None or domain_id is None:
            continue
        accepted[index] = ValidRow(
            key=data[key_field],
            decision_date=dt.date.fromisoformat(data[decision_field]),
            domain_id=domain_id,
            subject=subject,
            data=data,
            raw=[[header, text] for header, text in zip(headers, row_texts, strict=True)],
        )
    return accepted
