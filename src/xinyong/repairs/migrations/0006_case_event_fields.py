"""The repair history takes the case kit's field names (cases.models.CaseEvent): ``transition``
becomes ``action``. The append-only triggers are lifted for the change (SQLite rebuilds the table,
which drops them) and laid again at the end."""

from __future__ import annotations

from django.db import migrations, models

from xinyong.core.append_only import append_only, lifted

TABLE = "repairs_repairevent"


class Migration(migrations.Migration):
    dependencies = [("repairs", "0005_append_only_events")]

    operations = [
        lifted(TABLE),
        migrations.RenameField(model_name="repairevent", old_name="transition", new_name="action"),
        migrations.AlterField(model_name="repairevent", name="actor_name", field=models.CharField(max_length=200)),
        migrations.AlterField(
            model_name="repairevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="办理前状态"),
        ),
        migrations.AlterField(
            model_name="repairevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="办理后状态"),
        ),
        append_only(TABLE),
    ]
