"""The change log fills itself: triggers on record versions and overlays write one ``exchange_change``
row each, in the writing transaction (docs/exchange.md). Existing versions and overlays are logged
once, first, with ``txid`` 0.

SQLite drops a table's triggers when a migration rebuilds it: a later migration that rebuilds
``records_recordversion`` or ``records_overlay`` must create these triggers again
(``exchange/tests/test_feed.py`` fails if they are missing).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

COLUMNS = "txid, kind, record_id, subject_code, provider_id, version, overlay_id, overlay_kind, at"

POSTGRESQL = [
    # One statement per intake chunk (COPY), so one INSERT … SELECT over the transition table.
    f"""CREATE FUNCTION exchange_log_versions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO exchange_change ({COLUMNS})
      SELECT pg_current_xact_id()::text::bigint,
             CASE WHEN r.ended_on IS NOT NULL AND n.first AND NOT EXISTS (
                    SELECT 1 FROM exchange_change c WHERE c.record_id = n.record_id AND c.kind = 'exit')
                  THEN 'exit' ELSE 'version' END,
             n.record_id, n.subject_code, r.provider_id, n.version, NULL, '', n.received_at
      FROM (SELECT v.*, row_number() OVER (PARTITION BY v.record_id ORDER BY v.version) = 1 AS first
            FROM new_versions v) n
      JOIN records_creditrecord r ON r.id = n.record_id
      ORDER BY n.record_id, n.version;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER exchange_log_versions AFTER INSERT ON records_recordversion
       REFERENCING NEW TABLE AS new_versions FOR EACH STATEMENT EXECUTE FUNCTION exchange_log_versions()""",
    f"""CREATE FUNCTION exchange_log_overlay() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        INSERT INTO exchange_change ({COLUMNS})
        SELECT pg_current_xact_id()::text::bigint, 'overlay', NEW.record_id, NEW.subject_code, r.provider_id,
               NULL, NEW.id, NEW.kind, NEW.starts_at
        FROM records_creditrecord r WHERE r.id = NEW.record_id;
      ELSIF OLD.ends_at IS NULL AND NEW.ends_at IS NOT NULL THEN
        INSERT INTO exchange_change ({COLUMNS})
        SELECT pg_current_xact_id()::text::bigint, 'overlay_ended', NEW.record_id, NEW.subject_code,
               r.provider_id, NULL, NEW.id, NEW.kind, NEW.ends_at
        FROM records_creditrecord r WHERE r.id = NEW.record_id;
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER exchange_log_overlay AFTER INSERT OR UPDATE OF ends_at ON records_overlay
       FOR EACH ROW EXECUTE FUNCTION exchange_log_overlay()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER exchange_log_overlay ON records_overlay",
    "DROP FUNCTION exchange_log_overlay()",
    "DROP TRIGGER exchange_log_versions ON records_recordversion",
    "DROP FUNCTION exchange_log_versions()",
]
SQLITE = [
    f"""CREATE TRIGGER exchange_log_version AFTER INSERT ON records_recordversion BEGIN
      INSERT INTO exchange_change ({COLUMNS})
      SELECT 0, CASE WHEN r.ended_on IS NOT NULL AND NOT EXISTS (
                   SELECT 1 FROM exchange_change c WHERE c.record_id = NEW.record_id AND c.kind = 'exit')
                 THEN 'exit' ELSE 'version' END,
             NEW.record_id, NEW.subject_code, r.provider_id, NEW.version, NULL, '', NEW.received_at
      FROM records_creditrecord r WHERE r.id = NEW.record_id;
    END""",
    f"""CREATE TRIGGER exchange_log_overlay AFTER INSERT ON records_overlay BEGIN
      INSERT INTO exchange_change ({COLUMNS})
      SELECT 0, 'overlay', NEW.record_id, NEW.subject_code, r.provider_id, NULL, NEW.id, NEW.kind, NEW.starts_at
      FROM records_creditrecord r WHERE r.id = NEW.record_id;
    END""",
    f"""CREATE TRIGGER exchange_log_overlay_end AFTER UPDATE OF ends_at ON records_overlay
      WHEN OLD.ends_at IS NULL AND NEW.ends_at IS NOT NULL BEGIN
      INSERT INTO exchange_change ({COLUMNS})
      SELECT 0, 'overlay_ended', NEW.record_id, NEW.subject_code, r.provider_id, NULL, NEW.id, NEW.kind,
             NEW.ends_at
      FROM records_creditrecord r WHERE r.id = NEW.record_id;
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER exchange_log_overlay_end",
    "DROP TRIGGER exchange_log_overlay",
    "DROP TRIGGER exchange_log_version",
]
BACKFILL = [
    f"""INSERT INTO exchange_change ({COLUMNS})
    SELECT 0, CASE WHEN r.ended_on IS NOT NULL AND v.version = r.latest_version THEN 'exit' ELSE 'version' END,
           v.record_id, v.subject_code, r.provider_id, v.version, NULL, '', v.received_at
    FROM records_recordversion v JOIN records_creditrecord r ON r.id = v.record_id
    ORDER BY v.received_at, v.record_id, v.version""",
    f"""INSERT INTO exchange_change ({COLUMNS})
    SELECT 0, e.kind, e.record_id, e.subject_code, e.provider_id, NULL, e.id, e.overlay_kind, e.at FROM (
      SELECT 'overlay' AS kind, o.record_id, o.subject_code, r.provider_id, o.id, o.kind AS overlay_kind,
             o.starts_at AS at
      FROM records_overlay o JOIN records_creditrecord r ON r.id = o.record_id
      UNION ALL
      SELECT 'overlay_ended', o.record_id, o.subject_code, r.provider_id, o.id, o.kind, o.ends_at
      FROM records_overlay o JOIN records_creditrecord r ON r.id = o.record_id WHERE o.ends_at IS NOT NULL
    ) e ORDER BY e.at, e.id""",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in [*BACKFILL, *{"sqlite": SQLITE, "postgresql": POSTGRESQL}[vendor]]:
        schema_editor.execute(statement, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}[vendor]:
        schema_editor.execute(statement, params=None)
    schema_editor.execute("DELETE FROM exchange_change", params=None)


class Migration(migrations.Migration):
    dependencies = [("exchange", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
