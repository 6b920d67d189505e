"""Index the subjects a database already holds (intake keeps the index current from now on)."""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    # search.rebuild_index reads and writes with plain SQL on the tables as 0002 left them, so it
    # does not depend on the models' later state.
    from xinyong.subjects.search import rebuild_index

    rebuild_index()


class Migration(migrations.Migration):
    dependencies = [("subjects", "0002_search_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
