"""Translators start and sync translations themselves (wagtail-localize's `submit_translation`).

Which language they may translate into is decided by the page tree they may add pages to
(digest.desk.translation.languages_for), so the permission does not reach other languages.
"""

from django.db import migrations

TRANSLATOR_GROUPS = ("Translators (BE)", "Translators (RU)")


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtail_localize", model="translation"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="submit_translation",
        defaults={"name": "Can submit translations"},
    )
    for group in Group.objects.filter(name__in=TRANSLATOR_GROUPS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("digest", "0004_articlepage_body_blocks")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
