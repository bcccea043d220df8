"""The three locales, one HomePage per locale (translations of one another) and the default Site."""

import uuid

from django.db import migrations
from django.utils import timezone

HOME_PAGES = [
    # language code, tree path, slug, title
    ("en", "00010001", "home", "Situation Desk"),
    ("be", "00010002", "home-be", "Situation Desk"),
    ("ru", "00010003", "home-ru", "Situation Desk"),
]

NEWSLETTER_BOX = {
    "en": (
        "Subscribe to our newsletter",
        "Once a week, together with a group of Belarusian analysts, we send short commentaries "
        "on what changed in Belarus, in English, Belarusian or Russian.",
        "You have been successfully subscribed",
    ),
    "be": (
        "Падпішыцеся на нашу рассылку",
        "Раз на тыдзень разам з групай беларускіх аналітыкаў мы дасылаем кароткія каментары "
        "пра тое, што змянілася ў Беларусі, — па-англійску, па-беларуску або па-руску.",
        "Вы паспяхова падпісаліся",
    ),
    "ru": (
        "Подпишитесь на нашу рассылку",
        "Раз в неделю вместе с группой белорусских аналитиков мы присылаем короткие комментарии "
        "о том, что изменилось в Беларуси, — на английском, белорусском или русском языке.",
        "Вы успешно подписались",
    ),
}


def create_site(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")

    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "be", "ru")}

    # Wagtail's installation creates a plain welcome page; our HomePages replace it.
    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=page_type, depth=2).delete()

    home_type, _ = ContentType.objects.get_or_create(app_label="home", model="homepage")
    translation_key = uuid.uuid4()
    now = timezone.now()
    homes = {}
    for code, path, slug, title in HOME_PAGES:
        newsletter_title, newsletter_text, newsletter_success = NEWSLETTER_BOX[code]
        homes[code] = HomePage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=home_type,
            path=path,
            depth=2,
            numchild=0,
            url_path=f"/{slug}/",
            locale=locales[code],
            translation_key=translation_key,
            live=True,
            first_published_at=now,
            last_published_at=now,
            newsletter_title=newsletter_title,
            newsletter_text=newsletter_text,
            newsletter_success=newsletter_success,
        )
    Page.objects.filter(depth=1).update(numchild=len(HOME_PAGES))

    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        site_name="Situation Desk",
        root_page_id=homes["en"].pk,
        is_default_site=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_site, migrations.RunPython.noop)]
