"""Report.superseded_at, kept by the database: when an overlay that changes what a record says
(corrected, revoked, repaired) or a new version of a record is inserted, every report that relied on the
record and was requested before the change is marked superseded at that moment, in the same transaction.

Triggers rather than service code, so bulk intake (COPY / executemany) is covered too and records need
not know about reports. PostgreSQL uses statement-level triggers with transition tables (one UPDATE per
imported chunk); SQLite row triggers. Note: SQLite drops a table's triggers when a migration rebuilds it
(docs/architecture.md, known limits); a migration altering records_overlay or records_recordversion must
create these again.
"""

from __future__ import annotations

from django.db import migrations, models

CHANGING = "('corrected', 'revoked', 'repaired')"

SQLITE = [
    f"""CREATE TRIGGER reports_supersede_on_overlay AFTER INSERT ON records_overlay
        WHEN NEW.kind IN {CHANGING}
        BEGIN
          UPDATE reports_report SET superseded_at = NEW.created_at
           WHERE (superseded_at IS NULL OR superseded_at > NEW.created_at) AND requested_at < NEW.created_at
             AND id IN (SELECT report_id FROM reports_reportrecord WHERE record_id = NEW.record_id);
        END""",
    """CREATE TRIGGER reports_supersede_on_version AFTER INSERT ON records_recordversion
        BEGIN
          UPDATE reports_report SET superseded_at = NEW.received_at
           WHERE (superseded_at IS NULL OR superseded_at > NEW.received_at) AND requested_at < NEW.received_at
             AND id IN (SELECT report_id FROM reports_reportrecord WHERE record_id = NEW.record_id);
        END""",
]
SQLITE_REVERSE = ["DROP TRIGGER reports_supersede_on_overlay", "DROP TRIGGER reports_supersede_on_version"]


def _postgresql_function(name: str, changed: str, condition: str) -> str:
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE reports_report r SET superseded_at = c.changed
    FROM (SELECT rr.report_id, min(i.{changed}) AS changed
            FROM inserted i JOIN reports_reportrecord rr ON rr.record_id = i.record_id
           WHERE {condition}
           GROUP BY rr.report_id) c
   WHERE r.id = c.report_id AND r.requested_at < c.changed
     AND (r.superseded_at IS NULL OR r.superseded_at > c.changed);
  RETURN NULL;
END $$"""


POSTGRESQL = [
    _postgresql_function("reports_supersede_on_overlay", "created_at", f"i.kind IN {CHANGING}"),
    _postgresql_function("reports_supersede_on_version", "received_at", "true"),
    """CREATE TRIGGER reports_supersede_on_overlay AFTER INSERT ON records_overlay
       REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION reports_supersede_on_overlay()""",
    """CREATE TRIGGER reports_supersede_on_version AFTER INSERT ON records_recordversion
       REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION reports_supersede_on_version()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER reports_supersede_on_overlay ON records_overlay",
    "DROP TRIGGER reports_supersede_on_version ON records_recordversion",
    "DROP FUNCTION reports_supersede_on_overlay()",
    "DROP FUNCTION reports_supersede_on_version()",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="report",
            name="superseded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="被更新时间"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
