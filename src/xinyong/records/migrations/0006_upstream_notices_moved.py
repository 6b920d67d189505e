"""Move the queued upstream notices of objections (disputes.UpstreamNotice) and repairs
(repairs.RepairUpstreamNotice) into the one records.UpstreamNotice; the old models are deleted by
disputes/0003 and repairs/0004, which run after this."""

from __future__ import annotations

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    notice = apps.get_model("records", "UpstreamNotice")
    rows = [
        notice(
            record_id=old.record_id, subject_code=old.subject_code, change=old.change, version=old.version,
            source=old.source, payload={}, created_at=old.created_at, sent_at=old.sent_at,
        )
        for old in apps.get_model("disputes", "UpstreamNotice").objects.all()
    ]  # fmt: skip
    for old in apps.get_model("repairs", "RepairUpstreamNotice").objects.select_related("record"):
        rows.append(
            notice(
                record_id=old.record_id, subject_code=old.subject_code, change="repaired",
                version=old.record.latest_version, source=f"信用修复 {old.payload.get('number', '')}".strip(),
                payload=old.payload, created_at=old.created_at, sent_at=old.sent_at,
            )  # fmt: skip
        )
    notice.objects.bulk_create(sorted(rows, key=lambda row: row.created_at))


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0005_upstream_notice"),
        ("disputes", "0002_append_only_events"),
        ("repairs", "0003_attachment_path"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
