"""Keep `head_vector` uncompressed in the row (PostgreSQL only).

Search ranks every match with `ts_rank(head_vector, …)`. With the default storage, PostgreSQL
compresses the title-and-lead vector (or moves it to TOAST) whenever the row is large — always
so for Belarusian and Russian texts — so ranking a common word decompressed thousands of
vectors: about half of a Belarusian search's scan. `MAIN` storage moves the long columns (body,
full vector) out of the row first and leaves `head_vector` as it is. Existing rows are rewritten
once so that they are stored the new way too.
"""

from django.db import migrations


def store_uncompressed(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN head_vector SET STORAGE MAIN")
    # A new value (the same vector) is stored by the new rule; an unchanged one would not be.
    schema_editor.execute(
        "UPDATE search_searchentry SET head_vector = head_vector || ''::tsvector "
        "WHERE head_vector IS NOT NULL"
    )


def store_as_before(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE search_searchentry ALTER COLUMN head_vector SET STORAGE EXTENDED"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(store_uncompressed, store_as_before)]
