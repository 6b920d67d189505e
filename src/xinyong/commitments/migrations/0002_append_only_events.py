"""The database refuses UPDATE and DELETE on a commitment's history (CommitmentEvent)."""

from __future__ import annotations

from django.db import migrations

from xinyong.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("commitments", "0001_initial"), ("records", "0002_append_only_versions")]
    operations = [append_only("commitments_commitmentevent")]
