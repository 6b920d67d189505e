"""Migration operation: the database refuses UPDATE and DELETE on a table (append-only histories).

Row triggers that raise, so no ORM call, raw SQL or admin action can rewrite a case history; the
error says "<table> is append-only". PostgreSQL uses ``xinyong_refuse_change()`` (records 0002), so a
migration using this depends on ``("records", "0002_append_only_versions")``. SQLite drops a table's
triggers when a later migration rebuilds the table (adding a NOT NULL column, altering or renaming
one), and rows cannot be back-filled while the triggers stand: such a migration starts with
``lifted(table)`` and ends with ``append_only(table)``, the same on both databases.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _statements(table: str, vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "postgresql":
        return (
            [
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION xinyong_refuse_change()"
            ],
            [f"DROP TRIGGER {table}_append_only ON {table}"],
        )
    refuse = f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
    return (
        [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {refuse}",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {refuse}",
        ],
        [f"DROP TRIGGER {table}_no_update", f"DROP TRIGGER {table}_no_delete"],
    )


def append_only(table: str) -> migrations.RunPython:
    """The operation that makes ``table`` append-only (and, reversed, ordinary again)."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        for statement in _statements(table, schema_editor.connection.vendor)[0]:
            schema_editor.execute(statement, params=None)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for statement in _statements(table, schema_editor.connection.vendor)[1]:
            schema_editor.execute(statement, params=None)

    return migrations.RunPython(forwards, backwards)


def lifted(table: str) -> migrations.RunPython:
    """The reverse of ``append_only(table)``: drops the triggers for the operations that follow."""
    forwards = append_only(table)
    return migrations.RunPython(forwards.reverse_code, forwards.code)  # type: ignore[arg-type]
