"""The subject search index (subjects.search, docs/search.md): its table, and the full-text index over
each name's terms (``SubjectSearch.grams``). Neither full-text index is a Django model or index, so
both are created here per database; ``search.index_subjects`` writes them explicitly in the same
transaction as the rows (no triggers, so rebuilding ``subjects_subjectsearch`` in a later migration
cannot silently drop the synchronisation).

SQLite: a *contentless* FTS5 table (``content=''``, only the index) whose rowid is
``SubjectSearch.rank_key``. The ``ascii`` tokenizer splits on ASCII spaces and punctuation only and
keeps every other character, so a bigram is one term whatever Unicode version SQLite was built with.

PostgreSQL: the posting lists as a table with primary key (gram, rank_key): the names holding a term,
in rank order, from the index alone. (A GIN index over the bigrams was measured and dropped: its
matches come unordered; see subjects.search._PostgreSQL.) ``COLLATE "C"``: terms are only compared
for equality, byte-wise is enough and faster.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    "CREATE VIRTUAL TABLE subjects_subjectsearch_fts USING fts5("
    "grams, content='', columnsize=0, tokenize='ascii')",
]
SQLITE_REVERSE = ["DROP TABLE subjects_subjectsearch_fts"]
POSTGRESQL = [
    # Serves search._PostgreSQL.hits (a term's names in rank order) and .plan (how many names hold it).
    "CREATE TABLE subjects_subjectsearch_grams (gram text COLLATE \"C\" NOT NULL, rank_key bigint NOT NULL, "
    "PRIMARY KEY (gram, rank_key))",
    # search._PostgreSQL walks a query's rarest term, judged by the most common grams ANALYZE records:
    # 1,000 of them (instead of 100) reach down to grams held by ~0.004 % of postings.
    "ALTER TABLE subjects_subjectsearch_grams ALTER COLUMN gram SET STATISTICS 1000",
]
POSTGRESQL_REVERSE = ["DROP TABLE subjects_subjectsearch_grams"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}[schema_editor.connection.vendor]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('subjects', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SubjectSearch',
            fields=[
                ('rank_key', models.BigIntegerField(primary_key=True, serialize=False)),
                ('subject_code', models.CharField(max_length=40)),
                ('is_current', models.BooleanField()),
                ('name', models.CharField(max_length=200)),
                ('normalised', models.CharField(max_length=200)),
                ('grams', models.TextField()),
                ('subject', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='subjects.subject')),
            ],
            options={
                'verbose_name': '主体检索 search index',
                'verbose_name_plural': '主体检索 search index',
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
