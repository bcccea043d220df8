"""One action starts next week: its report and a draft article per topic, bylines carried over."""

import datetime

import pytest

from digest.desk.new_week import create_next_week, next_week_start
from digest.factories import ArticlePageFactory, AuthorFactory, ReportPageFactory, locale, topic
from digest.models import ArticlePage, Topic

pytestmark = pytest.mark.django_db


def test_the_new_week_starts_on_the_monday_after_the_latest_report(editor):
    ReportPageFactory(week_start=datetime.date(2023, 9, 4))
    ReportPageFactory(week_start=datetime.date(2023, 9, 11))

    report = create_next_week(editor)

    assert report.week_start == datetime.date(2023, 9, 18)
    assert report.title == "September 18 – September 24, 2023"
    assert not report.live


def test_without_any_report_the_new_week_is_this_week(editor):
    today = datetime.date.today()
    assert next_week_start(locale("en")) == today - datetime.timedelta(days=today.weekday())


def test_the_new_week_has_one_draft_article_per_active_topic_in_topic_order(editor):
    report = create_next_week(editor)

    articles = list(ArticlePage.objects.child_of(report).order_by("path"))
    active = list(Topic.objects.filter(locale=locale("en"), is_active=True).order_by("sort_order"))
    assert [article.topic for article in articles] == active
    assert all(not article.live and article.trend == "" for article in articles)
    assert articles[0].title == "The ruling elite — draft"
    assert all(article.week_start == report.week_start for article in articles)


def test_a_new_article_carries_the_byline_of_last_weeks_article_on_the_same_topic(editor):
    first, second = AuthorFactory(name="Alena Marozava"), AuthorFactory(name="Pavel Siamionau")
    last_week = ReportPageFactory(week_start=datetime.date(2023, 9, 11))
    ArticlePageFactory(
        parent=last_week, topic=topic("belarus-west-relations"), authors=[second, first]
    )

    report = create_next_week(editor)

    west = ArticlePage.objects.child_of(report).get(topic=topic("belarus-west-relations"))
    assert [credit.author for credit in west.authors.all()] == [second, first]
    elite = ArticlePage.objects.child_of(report).get(topic=topic("the-ruling-elite"))
    assert list(elite.authors.all()) == []


def test_new_week_drafts_have_a_revision_to_edit_and_submit(editor):
    report = create_next_week(editor)

    article = ArticlePage.objects.child_of(report).first()
    assert article.get_latest_revision() is not None
    assert article.get_latest_revision().user == editor
