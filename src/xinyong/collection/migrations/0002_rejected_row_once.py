# A rejected row's submitted values are kept once (RejectedRow), not once per reason (Rejection.raw):
# one call with 8,000 unknown keys stored its row 8,000 times.

import django.db.models.deletion
from django.db import migrations, models

# The first reason of each row carried the same raw text as the others; keep it once.
FORWARD = """
INSERT INTO collection_rejectedrow (batch_id, row_number, raw)
SELECT r.batch_id, r.row_number, r.raw FROM collection_rejection r
WHERE r.id IN (SELECT MIN(id) FROM collection_rejection GROUP BY batch_id, row_number)
"""
BACKWARD = """
UPDATE collection_rejection SET raw = COALESCE((
    SELECT rr.raw FROM collection_rejectedrow rr
    WHERE rr.batch_id = collection_rejection.batch_id AND rr.row_number = collection_rejection.row_number
), '[]')
"""


class Migration(migrations.Migration):

    dependencies = [
        ('collection', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RejectedRow',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('row_number', models.PositiveIntegerField()),
                ('raw', models.TextField(help_text='the row as submitted, within the intake limits: JSON text of [header, value] pairs')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rejected_rows', to='collection.batch')),
            ],
            options={
                'verbose_name': '拒收行 rejected row',
                'verbose_name_plural': '拒收行 rejected row',
                'ordering': ['batch', 'row_number'],
                'constraints': [models.UniqueConstraint(fields=('batch', 'row_number'), name='collection_rejectedrow_row_uniq')],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        # A default only so that migrating back can re-add the column before BACKWARD fills it.
        migrations.AlterField(
            model_name='rejection',
            name='raw',
            field=models.TextField(default='[]', help_text='the row as submitted: JSON text of [header, value] pairs'),
        ),
        migrations.RemoveField(
            model_name='rejection',
            name='raw',
        ),
    ]
