"""The trend chart: a year of weeks per topic, coloured by trend, on the dashboard and topics."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from digest.desk.trend_chart import COLOURS, EMPTY_FILL, WEEKS, trend_chart
from digest.factories import ArticlePageFactory, ReportPageFactory, topic
from digest.trends import Trend

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2023, 9, 11)


@pytest.fixture
def three_weeks():
    """Belarus-West relations improved, then unchanged, then (a week later) got worse."""
    trends = {
        MONDAY - datetime.timedelta(weeks=3): Trend.IMPROVED,
        MONDAY - datetime.timedelta(weeks=2): Trend.UNCHANGED,
        MONDAY: Trend.WORSENED,
    }
    for week_start, trend in trends.items():
        report = ReportPageFactory(week_start=week_start)
        ArticlePageFactory(parent=report, topic=topic("belarus-west-relations"), trend=trend)
    return trends


def row_of(chart, label):
    return next(row for row in chart.rows if row.label == label)


def test_each_topic_has_a_row_of_a_years_weeks_ending_with_the_latest_week(three_weeks):
    chart = trend_chart()

    assert len(chart.weeks) == WEEKS
    assert chart.weeks[-1] == MONDAY
    assert [row.label for row in chart.rows] == [
        "The ruling elite",
        "Society and political parties",
        "Security issues",
        "Belarus-West relations",
        "Belarus-Russia relations",
    ]


def test_cells_are_green_grey_red_by_trend_and_blank_without_an_article(three_weeks):
    cells = {
        cell.week_start: cell for cell in row_of(trend_chart(), "Belarus-West relations").cells
    }

    assert cells[MONDAY - datetime.timedelta(weeks=3)].fill == COLOURS[1]
    assert cells[MONDAY - datetime.timedelta(weeks=2)].fill == COLOURS[0]
    assert cells[MONDAY - datetime.timedelta(weeks=1)].fill == EMPTY_FILL
    assert cells[MONDAY].fill == COLOURS[-1]
    assert cells[MONDAY].title == "September 11 – September 17, 2023: The situation got worse"


def test_unpublished_articles_are_not_charted(three_weeks):
    report = ReportPageFactory(week_start=MONDAY + datetime.timedelta(weeks=1))
    draft = ArticlePageFactory(parent=report, topic=topic("security-issues"))
    draft.unpublish()

    chart = trend_chart()

    assert chart.weeks[-1] == MONDAY
    assert all(cell.trend is None for cell in row_of(chart, "Security issues").cells)


def test_topic_names_follow_the_admins_language(three_weeks):
    with translation.override("be"):
        chart = trend_chart()
    assert "Адносіны Беларусі і Захаду" in [row.label for row in chart.rows]
    cell = row_of(chart, "Адносіны Беларусі і Захаду").cells[-1]
    assert cell.title == "11–17 верасня 2023: Сітуацыя пагоршылася"


def test_the_dashboard_shows_the_chart_as_svg(client, editor, three_weeks):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'class="desk-trend-chart"' in html
    assert "<svg" in html
    assert f'fill="{COLOURS[-1]}"' in html
    assert 'data-trend="worsened"' in html


def test_a_topics_edit_page_shows_that_topics_chart(client, chief, three_weeks):
    client.force_login(chief)
    west = topic("belarus-west-relations")

    response = client.get(reverse("wagtailsnippets_digest_topic:edit", args=[west.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="desk-trend-chart"') == 1
    assert 'data-topic="Belarus-West relations"' in html
    assert 'data-topic="Security issues"' not in html
    assert 'data-trend="improved"' in html


def test_a_belarusian_topic_shows_the_same_trends(client, chief, three_weeks):
    client.force_login(chief)
    belarusian = topic("belarus-west-relations", "be")

    html = client.get(
        reverse("wagtailsnippets_digest_topic:edit", args=[belarusian.pk])
    ).content.decode()

    assert 'data-trend="worsened"' in html
