"""`load_demo`: a complete, translated demo archive that a second run leaves untouched."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail_localize.models import StringTranslation, Translation

from digest.demo import CONTENT_DIR, DemoContentError, DemoLoader
from digest.models import ArticlePage, Author, CreditedImage, ReportPage
from digest.trends import Trend

FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "demo_content"
TOPICS = {
    "the-ruling-elite",
    "society-and-political-parties",
    "security-issues",
    "belarus-west-relations",
    "belarus-russia-relations",
}


def snapshot():
    return {
        "pages": sorted(
            Page.objects.values_list(
                "id", "translation_key", "locale_id", "live", "latest_revision_id"
            )
        ),
        "authors": Author.objects.count(),
        "images": CreditedImage.objects.count(),
        "translations": Translation.objects.count(),
        "strings": StringTranslation.objects.count(),
    }


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    DemoLoader(FIXTURE_DIR).load()
    before = snapshot()

    second = DemoLoader(FIXTURE_DIR).load()

    assert second.total == 0
    assert snapshot() == before


@pytest.mark.django_db
def test_demo_translations_are_complete_published_wagtail_localize_translations(
    django_capture_on_commit_callbacks,
):
    # wagtail-localize publishes translations once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        DemoLoader(FIXTURE_DIR).load()
    english = ArticlePage.objects.get(slug="minsk-courts-its-neighbours")

    russian = english.get_translation(Locale.objects.get(language_code="ru"))
    assert russian.title == "Минск ищет дружбы соседей"
    assert russian.live
    translation = Translation.objects.get(
        source__object_id=english.translation_key, target_locale=russian.locale
    )
    total, translated = translation.get_progress()
    assert total > 0
    assert translated == total


@pytest.mark.django_db
def test_a_deliberately_missing_belarusian_article_stays_missing():
    DemoLoader(FIXTURE_DIR).load()
    english = ArticlePage.objects.get(slug="wagner-leaves")
    assert set(
        ArticlePage.objects.filter(translation_key=english.translation_key).values_list(
            "locale__language_code", flat=True
        )
    ) == {"en", "ru"}


@pytest.mark.django_db
def test_internal_links_in_the_demo_point_at_pages():
    DemoLoader(FIXTURE_DIR).load()
    article = ArticlePage.objects.get(slug="minsk-courts-its-neighbours")
    first_paragraph = article.body[0].value.source
    target = ArticlePage.objects.get(slug="emigrants-organise")
    assert f'<a id="{target.pk}" linktype="page">' in first_paragraph or (
        f'<a linktype="page" id="{target.pk}">' in first_paragraph
    )


@pytest.mark.django_db
def test_a_translation_that_does_not_mirror_the_english_is_refused(tmp_path):
    (tmp_path / "weeks").mkdir()
    (tmp_path / "authors.json").write_text((FIXTURE_DIR / "authors.json").read_text())
    week = json.loads((FIXTURE_DIR / "weeks" / "2023-09-04.json").read_text())
    week["articles"][0]["ru"]["body"].pop()
    (tmp_path / "weeks" / "2023-09-04.json").write_text(json.dumps(week))

    with pytest.raises(DemoContentError, match="does not mirror the English"):
        DemoLoader(tmp_path).load()


@pytest.fixture
def fixture_content(monkeypatch):
    monkeypatch.setattr("digest.demo.CONTENT_DIR", FIXTURE_DIR)
    monkeypatch.setattr(DemoLoader.__init__, "__defaults__", (FIXTURE_DIR, None))


@pytest.mark.django_db
def test_the_command_reports_progress_and_then_that_nothing_changed(fixture_content, capsys):
    call_command("load_demo")
    first = capsys.readouterr().out
    call_command("load_demo")
    second = capsys.readouterr().out

    assert "[" + "." * 30 + "] 2023-09-04 English pages" in first
    assert "[" + "#" * 30 + "] indexes built" in first
    assert "Demo content loaded" in first
    assert "nothing changed" in second
    assert ReportPage.objects.filter(locale__language_code="be").count() == 2


def real_weeks():
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((CONTENT_DIR / "weeks").glob("*.json"))
    ]


def test_the_demo_archive_has_eight_consecutive_full_weeks_including_the_seed_week():
    weeks = real_weeks()
    mondays = [week["week_start"] for week in weeks]
    assert len(weeks) >= 8
    assert "2023-09-11" in mondays
    for week in weeks:
        assert {article["topic"] for article in week["articles"]} == TOPICS, week["week_start"]
        assert len(week["articles"]) == 5


def test_the_seed_weeks_belarus_west_article_did_not_change_the_situation():
    week = next(week for week in real_weeks() if week["week_start"] == "2023-09-11")
    article = next(a for a in week["articles"] if a["topic"] == "belarus-west-relations")
    assert article["trend"] == Trend.UNCHANGED
    assert {"en", "be", "ru"} <= article.keys()


def test_every_demo_article_is_in_russian_and_only_a_few_lack_belarusian():
    articles = [article for week in real_weeks() for article in week["articles"]]
    assert all("en" in article and "ru" in article for article in articles)
    missing_belarusian = [article for article in articles if "be" not in article]
    assert 1 <= len(missing_belarusian) <= 5


def test_every_demo_article_body_is_realistic_in_length():
    for week in real_weeks():
        for article in week["articles"]:
            for language in ("en", "be", "ru"):
                if language not in article:
                    continue
                body = article[language]["body"]
                paragraphs = [block for block in body if block["type"] == "paragraph"]
                assert len(paragraphs) >= 4, (week["week_start"], article["topic"], language)
                assert {"quote", "key_figures"} & {block["type"] for block in body}


# Variants the demo once used for a person, a place, an act or a date it also spells the house's
# way (language, the variant as a regular expression, the house's form): the archive says each
# thing one way.
ONE_WAY = [
    ("en", "Igor Sergeenko", "Ihar Siarheyenka"),
    ("en", "checkpoints closed since 1 September", "since 18 August (Šumskas, Tverečius)"),
    ("be", r"\bВільн[яію]\b", "Вільнюс"),
    ("be", "Дэкрэт № 278", "Указ № 278"),
    ("ru", "Декрет № 278", "Указ № 278"),
    ("be", "з 1 верасня", "з 18 жніўня"),
    ("ru", "с 1 сентября", "с 18 августа"),
    ("be", "скідк", "зніжка"),
    ("be", "верасньск", "верасеньскі"),
    ("ru", "высокой недели", "неделя высокого уровня"),
]


def texts_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)


@pytest.mark.parametrize(("language", "variant", "house_form"), ONE_WAY)
def test_the_demo_names_each_person_place_act_and_date_one_way(language, variant, house_form):
    found = [
        (week["week_start"], part.get("topic", "summary"))
        for week in real_weeks()
        for part in [{"topic": "summary", language: week["summary"].get(language, "")}]
        + week["articles"]
        if any(re.search(variant, text) for text in texts_of(part.get(language, {})))
    ]
    assert not found, f"{variant!r} in {found}: the demo writes {house_form}"


@pytest.mark.django_db
def test_after_the_command_the_demo_is_searchable_with_no_task_left_for_the_worker(
    fixture_content, settings, client, monkeypatch
):
    # As under `make run`: tasks wait in the database for the worker, queued when the load's
    # transactions commit (this test's own transaction never does: commit work runs at once).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())

    call_command("load_demo")

    article = ArticlePage.objects.filter(locale__language_code="en").live().first()
    word = article.title.split()[0]
    found = client.get("/api/v2/search/", {"q": word, "locale": "en"}).json()
    assert article.id in [hit["id"] for hit in found["items"]]
    queued = DBTaskResult.objects.values_list("task_path", flat=True)
    assert set(queued) == {"digest.tasks.generate_api_renditions"}
    assert len(queued) == CreditedImage.objects.count()
    assert ReferenceIndex.objects.filter(object_id=str(article.id)).exists()
