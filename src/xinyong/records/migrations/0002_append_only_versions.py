"""The database itself refuses UPDATE and DELETE on record versions (docs/architecture.md, principle 3)."""

from __future__ import annotations

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER records_recordversion_no_update BEFORE UPDATE ON records_recordversion
       BEGIN SELECT RAISE(ABORT, 'records_recordversion is append-only'); END""",
    """CREATE TRIGGER records_recordversion_no_delete BEFORE DELETE ON records_recordversion
       BEGIN SELECT RAISE(ABORT, 'records_recordversion is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER records_recordversion_no_update",
    "DROP TRIGGER records_recordversion_no_delete",
]
POSTGRESQL = [
    """CREATE FUNCTION xinyong_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END $$""",
    """CREATE TRIGGER records_recordversion_append_only BEFORE UPDATE OR DELETE ON records_recordversion
       FOR EACH ROW EXECUTE FUNCTION xinyong_refuse_change()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER records_recordversion_append_only ON records_recordversion",
    "DROP FUNCTION xinyong_refuse_change()",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
