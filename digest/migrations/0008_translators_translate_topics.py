"""Translators translate topics as they translate authors (`change_topic`).

Without it a new topic could not be translated by the translators of its language at all. A
model permission reaches every locale, so the publish gate (core.publishing.snippet_refusal)
limits it: a topic or author changes in a language only for someone who may publish there,
and in English only for someone who may edit the English pages.
"""

from django.db import migrations

TRANSLATOR_GROUPS = ("Translators (BE)", "Translators (RU)")


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="digest", model="topic")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="change_topic", defaults={"name": "Can change topic"}
    )
    for group in Group.objects.filter(name__in=TRANSLATOR_GROUPS):
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("digest", "0007_snippets_awaiting_translation")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
