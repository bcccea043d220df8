"""Topics and authors that hold English in place of untranslated texts (core.publishing).

"Translate the week" built Belarusian and Russian copies of topics and authors with the English
text until a translator translated them; such copies were public. Each existing copy that
wagtail-localize builds and whose texts are not all translated is marked, so readers stop seeing
it and the pages that use it wait for it.
"""

from django.db import migrations, models
from django.db.models import Exists, OuterRef

SOURCE_LANGUAGE = "en"


def mark_untranslated_copies(apps, schema_editor):
    Translation = apps.get_model("wagtail_localize", "Translation")
    StringSegment = apps.get_model("wagtail_localize", "StringSegment")
    StringTranslation = apps.get_model("wagtail_localize", "StringTranslation")
    for name in ("Topic", "Author"):
        model = apps.get_model("digest", name)
        for copy in model.objects.exclude(locale__language_code=SOURCE_LANGUAGE):
            translation = (
                Translation.objects.filter(
                    source__object_id=copy.translation_key,
                    target_locale_id=copy.locale_id,
                    enabled=True,
                )
                .exclude(source__locale_id=copy.locale_id)
                .first()
            )
            if translation is None:
                continue
            missing = (
                StringSegment.objects.filter(source_id=translation.source_id)
                .exclude(
                    Exists(
                        StringTranslation.objects.filter(
                            translation_of_id=OuterRef("string_id"),
                            context_id=OuterRef("context_id"),
                            locale_id=copy.locale_id,
                            has_error=False,
                        )
                    )
                )
                .exists()
            )
            if missing:
                model.objects.filter(pk=copy.pk).update(awaiting_translation=True)


FIELD = models.BooleanField(
    default=False,
    editable=False,
    help_text="Built with English where a text is not translated yet: shown to no reader.",
    verbose_name="awaiting translation",
)


class Migration(migrations.Migration):
    dependencies = [
        ("digest", "0006_consistent_page_tree"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [
        migrations.AddField(model_name="author", name="awaiting_translation", field=FIELD),
        migrations.AddField(model_name="topic", name="awaiting_translation", field=FIELD),
        migrations.RunPython(mark_untranslated_copies, migrations.RunPython.noop),
    ]
