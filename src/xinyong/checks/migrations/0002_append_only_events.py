"""The database refuses UPDATE and DELETE on a 协查 request's history (AssistEvent)."""

from __future__ import annotations

from django.db import migrations

from xinyong.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("checks", "0001_initial"), ("records", "0002_append_only_versions")]
    operations = [append_only("checks_assistevent")]
