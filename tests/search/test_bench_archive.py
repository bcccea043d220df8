"""bench/archive.py writes a sound page tree that the API and search treat like any other."""

import datetime

from wagtail.models import Page

from bench.archive import generate_archive
from digest.models import ArticlePage, ReportPage
from search import indexing

FIRST_MONDAY = datetime.date(2015, 1, 5)


def test_a_generated_archive_is_a_valid_tree_of_published_weeks(db, client):
    counts = generate_archive(weeks=3, first_monday=FIRST_MONDAY)

    assert counts == {"reports": 9, "articles": 45}
    assert Page.find_problems() == ([], [], [], [], [])
    assert ReportPage.objects.live().filter(locale__language_code="be").count() == 3
    article = ArticlePage.objects.filter(locale__language_code="ru").first()
    assert article.get_parent().specific.week_start == article.week_start
    response = client.get(f"/api/v2/pages/{article.id}/")
    assert response.status_code == 200
    assert response.json()["meta"]["path"].startswith("/ru/")


def test_generating_again_keeps_the_weeks_that_exist(db):
    generate_archive(weeks=2, first_monday=FIRST_MONDAY)

    counts = generate_archive(weeks=3, first_monday=FIRST_MONDAY)

    assert counts == {"reports": 3, "articles": 15}
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_generated_archive_can_be_searched_after_update_index(db, client):
    generate_archive(weeks=2, first_monday=FIRST_MONDAY)
    indexing.rebuild()
    title = ArticlePage.objects.filter(locale__language_code="en").first().title
    word = max(title.split(), key=len).strip(",.:;")

    data = client.get("/api/v2/search/", {"q": word, "locale": "en"}).json()

    assert data["meta"]["total_count"] >= 1
