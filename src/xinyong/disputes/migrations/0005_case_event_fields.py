"""The objection history takes the case kit's field names (cases.models.CaseEvent): ``state`` becomes
``to_state``, ``label`` and ``from_state`` are added. The append-only triggers are lifted for the
change (SQLite rebuilds the table, which drops them; PostgreSQL would refuse the back-fill) and laid
again at the end."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from xinyong.core.append_only import append_only, lifted

TABLE = "disputes_objectionevent"
LABELS = {
    "filed": "提出异议并受理",
    "forwarded": "转交信息提供单位核查",
    "answered": "信息提供单位反馈核查结果",
    "closed": "办结",
    "escalated": "逾期督办",
    "arrived": "补录的记录已报送",
}
# The state each step starts from, where only one is possible (closing may follow either comparison
# or the provider's answer, so closed lines keep an empty ``from_state``).
FROM_STATES = {"filed": "", "forwarded": "accepted", "answered": "forwarded"}


def fill(apps: Any, schema_editor: Any) -> None:
    event = apps.get_model("disputes", "ObjectionEvent")
    for action, label in LABELS.items():
        event.objects.filter(action=action).update(label=label)
    for action, state in FROM_STATES.items():
        event.objects.filter(action=action).update(from_state=state)
    # Escalations and arrivals leave the state as it was.
    event.objects.filter(action__in=["escalated", "arrived"]).update(from_state=models.F("to_state"))


class Migration(migrations.Migration):
    dependencies = [("disputes", "0004_omission")]

    operations = [
        lifted(TABLE),
        migrations.AlterModelOptions(
            name="objectionevent",
            options={
                "ordering": ["at", "pk"],
                "verbose_name": "异议办理记录 objection event",
                "verbose_name_plural": "异议办理记录 objection event",
            },
        ),
        migrations.RenameField(model_name="objectionevent", old_name="state", new_name="to_state"),
        migrations.AlterField(
            model_name="objectionevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="办理后状态"),
        ),
        migrations.AlterField(
            model_name="objectionevent", name="action", field=models.CharField(max_length=40)
        ),
        migrations.AddField(
            model_name="objectionevent",
            name="label",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="objectionevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="办理前状态"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        append_only(TABLE),
    ]
