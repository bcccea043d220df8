"""PostgreSQL: the project's word lists and Hunspell entries (search/dictionaries) in the
`belarusian` configuration, and `situation_russian` for Russian; Belarusian words with an apostrophe read as one word; existing
entries re-analysed."""

from django.db import migrations

from search import postgres


def apply_word_lists(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    postgres.ensure_configurations(schema_editor.connection, refresh=True)
    for language in ("ru", "be"):
        config = postgres.configuration(language)

        def text(column, language=language):
            if language in postgres.JOINED_LANGUAGES:
                return postgres.joined_sql(column)
            return column

        head = (
            f"setweight(to_tsvector('{config}', {text('title')}), 'A') || "
            f"setweight(to_tsvector('{config}', {text('lead')}), 'B')"
        )
        schema_editor.execute(
            f"UPDATE search_searchentry SET head_vector = {head}, "
            f"vector = {head} || setweight(to_tsvector('{config}', {text('body')}), 'C') "
            "WHERE language = %s",
            [language],
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_sqlite_analysed_words")]

    operations = [migrations.RunPython(apply_word_lists, migrations.RunPython.noop)]
