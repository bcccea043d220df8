"""SQLite: the FTS5 table of analysed words (search.sqlite), filled from the existing entries.

Until now SQLite searched through Wagtail's database backend, word for word; its rows stay
where they are but are no longer read.
"""

from django.db import migrations

from search import sqlite


def create_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    sqlite.create_table(schema_editor.connection)
    SearchEntry = apps.get_model("search", "SearchEntry")
    entries = SearchEntry.objects.only("page_id", "language", "title", "lead", "body")
    sqlite.write(entries.iterator(chunk_size=500))


def drop_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    sqlite.drop_table(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_head_vector_uncompressed")]

    operations = [migrations.RunPython(create_table, drop_table)]
