"""The publication's topics in all three languages, and a "Situation in Belarus" archive per locale."""

import uuid

from django.db import migrations
from django.utils import timezone

# slug, sort order, in use, {language: (name, description)}
TOPICS = [
    (
        "the-ruling-elite",
        10,
        True,
        {
            "en": ("The ruling elite", "Power struggles, appointments and the regime's own survival."),
            "be": ("Кіруючы клас", "Барацьба за ўладу, прызначэнні і выжыванне рэжыму."),
            "ru": ("Правящий класс", "Борьба за власть, назначения и выживание режима."),
        },
    ),
    (
        "society-and-political-parties",
        20,
        True,
        {
            "en": (
                "Society and political parties",
                "Public mood, civil society, repression and the democratic forces.",
            ),
            "be": (
                "Грамадства і палітычныя партыі",
                "Грамадскія настроі, грамадзянская супольнасць, рэпрэсіі і дэмакратычныя сілы.",
            ),
            "ru": (
                "Общество и политические партии",
                "Общественные настроения, гражданское общество, репрессии и демократические силы.",
            ),
        },
    ),
    (
        "security-issues",
        30,
        True,
        {
            "en": ("Security issues", "The army, security services, borders and regional risks."),
            "be": ("Пытанні бяспекі", "Армія, сілавыя структуры, межы і рэгіянальныя рызыкі."),
            "ru": ("Вопросы безопасности", "Армия, силовые структуры, границы и региональные риски."),
        },
    ),
    (
        "belarus-west-relations",
        40,
        True,
        {
            "en": ("Belarus-West relations", "Sanctions, diplomacy and relations with the EU and the US."),
            "be": (
                "Адносіны Беларусі і Захаду",
                "Санкцыі, дыпламатыя і адносіны з ЕС і ЗША.",
            ),
            "ru": (
                "Отношения Беларуси и Запада",
                "Санкции, дипломатия и отношения с ЕС и США.",
            ),
        },
    ),
    (
        "belarus-russia-relations",
        50,
        True,
        {
            "en": ("Belarus-Russia relations", "Integration, dependence and bargaining with Moscow."),
            "be": (
                "Беларуска-расійскія адносіны",
                "Інтэграцыя, залежнасць і гандаль з Масквой.",
            ),
            "ru": (
                "Белорусско-российские отношения",
                "Интеграция, зависимость и торг с Москвой.",
            ),
        },
    ),
    # Topics of the older archives: kept for old articles, not offered for new weeks.
    (
        "economy",
        60,
        False,
        {
            "en": ("Economy", "The economy, budget and trade."),
            "be": ("Эканоміка", "Эканоміка, бюджэт і гандаль."),
            "ru": ("Экономика", "Экономика, бюджет и торговля."),
        },
    ),
    (
        "international-relations",
        70,
        False,
        {
            "en": ("International relations", "Belarus's relations beyond Russia and the West."),
            "be": ("Міжнародныя адносіны", "Адносіны Беларусі па-за Расіяй і Захадам."),
            "ru": ("Международные отношения", "Отношения Беларуси за пределами России и Запада."),
        },
    ),
]

ARCHIVES = {
    # language: (title, slug, introduction)
    "en": (
        "Situation in Belarus",
        "situation-in-belarus",
        "Every week, five short commentaries on how things moved in Belarus.",
    ),
    "be": (
        "Сітуацыя ў Беларусі",
        "situacyja-u-bielarusi",
        "Кожны тыдзень — пяць кароткіх каментароў пра тое, як змянілася сітуацыя ў Беларусі.",
    ),
    "ru": (
        "Ситуация в Беларуси",
        "situaciya-v-belarusi",
        "Каждую неделю — пять коротких комментариев о том, как изменилась ситуация в Беларуси.",
    ),
}


def create_topics_and_archives(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")
    ReportIndexPage = apps.get_model("digest.ReportIndexPage")
    Topic = apps.get_model("digest.Topic")

    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "be", "ru")}

    for slug, sort_order, is_active, names in TOPICS:
        translation_key = uuid.uuid4()
        for code, (name, description) in names.items():
            Topic.objects.get_or_create(
                locale=locales[code],
                slug=slug,
                defaults={
                    "translation_key": translation_key,
                    "name": name,
                    "description": description,
                    "sort_order": sort_order,
                    "is_active": is_active,
                },
            )

    archive_type, _ = ContentType.objects.get_or_create(app_label="digest", model="reportindexpage")
    translation_key = uuid.uuid4()
    now = timezone.now()
    for code, (title, slug, intro) in ARCHIVES.items():
        home = HomePage.objects.filter(locale=locales[code], depth=2).first()
        if home is None or home.numchild:
            continue
        ReportIndexPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            intro=intro,
            content_type=archive_type,
            path=f"{home.path}0001",
            depth=3,
            numchild=0,
            url_path=f"{home.url_path}{slug}/",
            locale=locales[code],
            translation_key=translation_key,
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        HomePage.objects.filter(pk=home.pk).update(numchild=1)


class Migration(migrations.Migration):
    dependencies = [
        ("digest", "0001_initial"),
        ("home", "0002_initial_site"),
    ]

    operations = [migrations.RunPython(create_topics_and_archives, migrations.RunPython.noop)]
