"""The commitment history takes the case kit's field names (cases.models.CaseEvent): ``state_from``
and ``state_to`` become ``from_state`` and ``to_state``. The append-only triggers are lifted for the
change (SQLite rebuilds the table, which drops them) and laid again at the end."""

from __future__ import annotations

from django.db import migrations, models

from xinyong.core.append_only import append_only, lifted

TABLE = "commitments_commitmentevent"


class Migration(migrations.Migration):
    dependencies = [("commitments", "0002_append_only_events")]

    operations = [
        lifted(TABLE),
        migrations.RenameField(model_name="commitmentevent", old_name="state_from", new_name="from_state"),
        migrations.RenameField(model_name="commitmentevent", old_name="state_to", new_name="to_state"),
        migrations.AlterField(
            model_name="commitmentevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="办理前状态"),
        ),
        migrations.AlterField(
            model_name="commitmentevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="办理后状态"),
        ),
        append_only(TABLE),
    ]
