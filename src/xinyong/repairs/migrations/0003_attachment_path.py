"""RepairAttachment shares core.models.StoredEvidence with ObjectionAttachment: ``stored_as`` becomes
``path`` (renamed, so the stored paths stay), up to 300 characters like the objections' one."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("repairs", "0002_step_indexes")]

    operations = [
        migrations.RenameField(model_name="repairattachment", old_name="stored_as", new_name="path"),
        migrations.AlterField(
            model_name="repairattachment",
            name="path",
            field=models.CharField(help_text="relative to settings.UPLOAD_DIR", max_length=300),
        ),
    ]
