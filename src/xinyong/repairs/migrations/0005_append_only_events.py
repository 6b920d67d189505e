"""The database refuses UPDATE and DELETE on the repair case history (RepairEvent)."""

from __future__ import annotations

from django.db import migrations

from xinyong.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("repairs", "0004_delete_repairupstreamnotice"), ("records", "0002_append_only_versions")]
    operations = [append_only("repairs_repairevent")]
