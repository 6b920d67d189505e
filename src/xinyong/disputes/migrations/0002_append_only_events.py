"""The database refuses UPDATE and DELETE on the objection case history (ObjectionEvent)."""

from __future__ import annotations

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER disputes_objectionevent_no_update BEFORE UPDATE ON disputes_objectionevent
       BEGIN SELECT RAISE(ABORT, 'disputes_objectionevent is append-only'); END""",
    """CREATE TRIGGER disputes_objectionevent_no_delete BEFORE DELETE ON disputes_objectionevent
       BEGIN SELECT RAISE(ABORT, 'disputes_objectionevent is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER disputes_objectionevent_no_update",
    "DROP TRIGGER disputes_objectionevent_no_delete",
]
# xinyong_refuse_change() is created by records 0002.
POSTGRESQL = [
    """CREATE TRIGGER disputes_objectionevent_append_only BEFORE UPDATE OR DELETE ON disputes_objectionevent
       FOR EACH ROW EXECUTE FUNCTION xinyong_refuse_change()""",
]
POSTGRESQL_REVERSE = ["DROP TRIGGER disputes_objectionevent_append_only ON disputes_objectionevent"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial"), ("records", "0002_append_only_versions")]
    operations = [migrations.RunPython(forwards, backwards)]
