"""The shared cache's table (settings.DATABASE_CACHE_TABLE), made by `migrate` like every other.

Created whatever cache the settings name, so that a database migrated once serves any process
started on it later — Redis or not, tests included. Django's `createcachetable` does the work;
it only reads its table name from the settings, which is why its command is called directly.
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.DATABASE_CACHE_TABLE, False)


def drop_table(apps, schema_editor):
    schema_editor.execute(
        f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.DATABASE_CACHE_TABLE)}"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
