"""A week starts on Monday, ends on the derived Sunday, exists once per locale, names itself."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from digest.factories import ReportPageFactory, archive
from digest.models import ReportPage
from digest.weeks import format_week, week_end_for

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2023, 9, 11)


@pytest.mark.parametrize(
    ("week_start", "language", "expected"),
    [
        (MONDAY, "en", "September 11 – September 17, 2023"),
        (MONDAY, "ru", "11–17 сентября 2023"),
        (MONDAY, "be", "11–17 верасня 2023"),
        (datetime.date(2023, 7, 31), "en", "July 31 – August 6, 2023"),
        (datetime.date(2023, 7, 31), "ru", "31 июля – 6 августа 2023"),
        (datetime.date(2023, 7, 31), "be", "31 ліпеня – 6 жніўня 2023"),
        (datetime.date(2024, 12, 30), "en", "December 30, 2024 – January 5, 2025"),
        (datetime.date(2024, 12, 30), "ru", "30 декабря 2024 – 5 января 2025"),
        (datetime.date(2024, 12, 30), "be", "30 снежня 2024 – 5 студзеня 2025"),
    ],
)
def test_week_names_follow_each_languages_style(week_start, language, expected):
    assert format_week(week_start, language) == expected


def test_a_new_report_takes_its_title_slug_and_sunday_from_the_monday():
    report = ReportPageFactory(week_start=MONDAY)
    report.refresh_from_db()
    assert report.title == "September 11 – September 17, 2023"
    assert report.slug == "2023-09-11"
    assert report.week_end == datetime.date(2023, 9, 17)
    assert report.url_path.endswith("/situation-in-belarus/2023-09-11/")


def test_the_end_date_is_never_typed_but_always_derived():
    report = ReportPageFactory(week_start=MONDAY)
    report.week_end = datetime.date(2023, 9, 30)
    report.title = "Something else"
    report.save_revision().publish()
    report.refresh_from_db()
    assert report.week_end == week_end_for(MONDAY)
    assert report.title == "September 11 – September 17, 2023"
    assert "week_end" not in [
        getattr(panel, "field_name", None) for panel in ReportPage.content_panels
    ]


def test_a_week_must_start_on_a_monday():
    report = ReportPage(week_start=datetime.date(2023, 9, 12))
    report.set_url_path(archive())
    with translation.override("en"), pytest.raises(ValidationError) as error:
        report.full_clean()
    assert error.value.message_dict["week_start"] == [
        "A week starts on a Monday; 2023-09-12 is a Tuesday."
    ]


def test_a_week_exists_only_once_per_language():
    ReportPageFactory(week_start=MONDAY)
    duplicate = ReportPage(week_start=MONDAY, locale=archive().locale)
    duplicate.set_url_path(archive())
    with pytest.raises(ValidationError) as error:
        duplicate.clean()
    assert error.value.message_dict["week_start"] == [
        "There is already a report for the week of September 11 – September 17, 2023 "
        "in this language."
    ]


def test_the_same_week_may_exist_in_another_language():
    ReportPageFactory(week_start=MONDAY)
    russian = ReportPage(week_start=MONDAY, locale=archive("ru").locale)
    russian.set_url_path(archive("ru"))
    russian.clean()  # no ValidationError


def test_a_report_in_russian_is_titled_in_russian():
    report = ReportPageFactory(week_start=MONDAY, parent=archive("ru"))
    assert report.title == "11–17 сентября 2023"
