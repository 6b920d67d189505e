"""The database refuses UPDATE and DELETE on audit entries; the chain's head row starts at genesis."""

from __future__ import annotations

from django.db import migrations

GENESIS = "0" * 64

SQLITE = [
    """CREATE TRIGGER audit_auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END""",
    """CREATE TRIGGER audit_auditentry_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_auditentry_no_update", "DROP TRIGGER audit_auditentry_no_delete"]
POSTGRESQL = [
    """CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; END $$""",
    """CREATE TRIGGER audit_auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    # TRUNCATE bypasses row triggers; refuse it too.
    """CREATE TRIGGER audit_auditentry_no_truncate BEFORE TRUNCATE ON audit_auditentry
       FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER audit_auditentry_no_truncate ON audit_auditentry",
    "DROP TRIGGER audit_auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION audit_refuse_change()",
]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)
    apps.get_model("audit", "AuditHead").objects.create(id=1, last_seq=0, last_hash=GENESIS)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("audit", "AuditHead").objects.filter(id=1).delete()
    for statement in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}[schema_editor.connection.vendor]:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
