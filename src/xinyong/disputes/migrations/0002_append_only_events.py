"""The database refuses UPDATE and DELETE on the objection case history (ObjectionEvent)."""

from __future__ import annotations

from django.db import migrations

from xinyong.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("disputes", "0001_initial"), ("records", "0002_append_only_versions")]
    operations = [append_only("disputes_objectionevent")]
