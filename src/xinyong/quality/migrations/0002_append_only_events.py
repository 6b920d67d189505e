"""Code issue histories are append-only, as every case history (core.append_only)."""

from django.db import migrations

from xinyong.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial"), ("records", "0002_append_only_versions")]
    operations = [append_only("quality_codeissueevent")]
