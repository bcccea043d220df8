"""A large archive of weeks, written fast: real Wagtail pages, inserted in bulk.

For benchmarks on a throwaway database (never on one with real content):

    DATABASE_URL=postgres://…/bench_db .venv/bin/python bench/archive.py --weeks 520
    # or, with Django set up: from bench.archive import generate_archive; generate_archive(520)

The archive then covers the `weeks` weeks before the current one (ten years × 5 topics ×
en/be/ru ≈ 9,400 live pages for 520): under each locale's "Situation in Belarus" archive, every
week not there yet (e.g. the demo weeks are kept) gets a published weekly report with one
article per active topic. Nothing goes through
`add_child`/`publish`: the tree's materialised paths are computed directly (treebeard: four
base-36 characters per level), page rows are written with `bulk_create`, the page types' own
tables with one `executemany` each, and no revisions, signals or tasks are involved — so the
search index, caches and the like must be built afterwards (e.g. `search.indexing.rebuild()`).

Texts are the demo archive's (digest/demo_content) in each language, reshuffled: every
article takes a title, lead and paragraphs from different demo articles, so that word
frequencies, languages and stemming behave like real content. Articles have no photo.
"""

import argparse
import datetime
import json
import os
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_WEEKS = ROOT / "digest" / "demo_content" / "weeks"
LANGUAGES = ("en", "be", "ru")
STEP = 4  # treebeard's steplen: each tree level adds four base-36 characters to `path`
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
NAMESPACE = uuid.UUID("5d0c4f8e-7a2b-4f4e-9a65-3b1f0e9c2a77")
PARAGRAPHS_PER_ARTICLE = (3, 6)


def step(number: int) -> str:
    """The path segment of the `number`-th child (1-based), e.g. 1 → '0001', 36 → '0010'."""
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEP, "0")


def demo_texts() -> dict:
    """Per language: titles, leads, summaries and paragraph HTML of the demo archive."""
    texts = {
        language: {"titles": [], "leads": [], "summaries": [], "paragraphs": []}
        for language in LANGUAGES
    }
    for path in sorted(DEMO_WEEKS.glob("*.json")):
        week = json.loads(path.read_text(encoding="utf-8"))
        for language in LANGUAGES:
            texts[language]["summaries"].append(week["summary"][language])
        for article in week["articles"]:
            for language in LANGUAGES:
                if language not in article:
                    continue
                content = article[language]
                texts[language]["titles"].append(content["title"])
                texts[language]["leads"].append(content["lead"])
                texts[language]["paragraphs"].extend(
                    block["value"] for block in content["body"] if block["type"] == "paragraph"
                )
    return texts


def _insert_rows(model, rows: list[dict]) -> None:
    """Rows of a page type's own table (the `wagtailcore_page` part already exists)."""
    from django.db import connection

    fields = model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
    values = [
        [field.get_db_prep_save(row[field.attname], connection) for field in fields] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def generate_archive(
    weeks: int = 520,
    first_monday: datetime.date | None = None,
    languages=LANGUAGES,
    seed: int = 2023,
    progress=lambda message: None,
) -> dict:
    """Fill each language's archive to `weeks` published weeks; returns the pages added."""
    from django.db import transaction

    with transaction.atomic():
        return _generate(weeks, first_monday, languages, seed, progress)


def _generate(weeks, first_monday, languages, seed, progress) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from wagtail.models import Page

    from digest.models import ArticlePage, ReportIndexPage, ReportPage, Topic
    from digest.trends import Trend
    from digest.weeks import format_week, week_end_for

    rng = random.Random(seed)
    texts = demo_texts()
    if first_monday is None:
        this_monday = datetime.date.today() - datetime.timedelta(
            days=datetime.date.today().weekday()
        )
        first_monday = this_monday - datetime.timedelta(weeks=weeks)
    mondays = [first_monday + datetime.timedelta(weeks=number) for number in range(weeks)]
    report_type, article_type = (
        ContentType.objects.get_for_model(ReportPage).id,
        ContentType.objects.get_for_model(ArticlePage).id,
    )
    body_field = ArticlePage._meta.get_field("body")
    counts = {"reports": 0, "articles": 0}

    for language in languages:
        archive = ReportIndexPage.objects.select_related("locale").get(
            locale__language_code=language
        )
        existing = set(ReportPage.objects.child_of(archive).values_list("week_start", flat=True))
        last_child = (
            Page.objects.child_of(archive).order_by("-path").values_list("path", flat=True).first()
        )
        first_step = int(last_child[-STEP:], len(ALPHABET)) + 1 if last_child else 1
        new_mondays = [monday for monday in mondays if monday not in existing]
        topics = list(
            Topic.objects.filter(locale=archive.locale, is_active=True).order_by("sort_order")
        )
        pool = texts[language]
        progress(f"{language}: {len(new_mondays)} new weeks × {len(topics)} topics")

        reports, report_rows = [], []
        for number, monday in enumerate(new_mondays, start=first_step):
            published = timezone.make_aware(
                datetime.datetime.combine(week_end_for(monday), datetime.time(12))
            )
            title = format_week(monday, language)
            reports.append(
                Page(
                    path=archive.path + step(number),
                    depth=archive.depth + 1,
                    numchild=len(topics),
                    translation_key=uuid.uuid5(NAMESPACE, f"report:{monday}"),
                    locale_id=archive.locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=published,
                    last_published_at=published,
                    title=title,
                    draft_title=title,
                    slug=monday.isoformat(),
                    content_type_id=report_type,
                    url_path=f"{archive.url_path}{monday.isoformat()}/",
                )
            )
            report_rows.append(
                {
                    "week_start": monday,
                    "week_end": week_end_for(monday),
                    "summary": rng.choice(pool["summaries"]),
                }
            )
        Page.objects.bulk_create(reports, batch_size=1000)
        _insert_rows(
            ReportPage,
            [
                {**row, "page_ptr_id": page.id}
                for page, row in zip(reports, report_rows, strict=True)
            ],
        )

        articles, article_rows = [], []
        for report, monday in zip(reports, new_mondays, strict=True):
            for position, topic in enumerate(topics, start=1):
                title = rng.choice(pool["titles"])
                slug = f"{topic.slug}-{monday.isoformat()}"
                paragraphs = rng.sample(pool["paragraphs"], rng.randint(*PARAGRAPHS_PER_ARTICLE))
                articles.append(
                    Page(
                        path=report.path + step(position),
                        depth=report.depth + 1,
                        numchild=0,
                        translation_key=uuid.uuid5(NAMESPACE, f"article:{monday}:{topic.slug}"),
                        locale_id=archive.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=report.first_published_at,
                        last_published_at=report.last_published_at,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type_id=article_type,
                        url_path=f"{report.url_path}{slug}/",
                    )
                )
                article_rows.append(
                    {
                        "topic_id": topic.id,
                        "trend": rng.choice(Trend.values),
                        "lead": rng.choice(pool["leads"]),
                        "photo_id": None,
                        "body": body_field.to_python(
                            [
                                {"type": "paragraph", "value": html, "id": str(uuid.uuid4())}
                                for html in paragraphs
                            ]
                        ),
                        "week_start": monday,
                    }
                )
        Page.objects.bulk_create(articles, batch_size=1000)
        _insert_rows(
            ArticlePage,
            [
                {**row, "page_ptr_id": page.id}
                for page, row in zip(articles, article_rows, strict=True)
            ],
        )
        Page.objects.filter(id=archive.id).update(numchild=archive.numchild + len(reports))
        counts["reports"] += len(reports)
        counts["articles"] += len(articles)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=520)
    parser.add_argument("--seed", type=int, default=2023)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    counts = generate_archive(weeks=args.weeks, seed=args.seed)
    print(f"Added {counts['reports']} weekly reports and {counts['articles']} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
