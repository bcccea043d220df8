"""Finding demo pages in tests."""

import datetime

from digest.models import ArticlePage, ReportPage

SEED_WEEK = datetime.date(2023, 9, 11)
# Deliberately untranslated into Belarusian in the demo archive.
MISSING_IN_BELARUSIAN = (datetime.date(2023, 10, 9), "the-ruling-elite")


def article(language="en", week=SEED_WEEK, topic="belarus-west-relations") -> ArticlePage:
    return ArticlePage.objects.get(
        locale__language_code=language, week_start=week, topic__slug=topic
    )


def report(language="en", week=SEED_WEEK) -> ReportPage:
    return ReportPage.objects.get(locale__language_code=language, week_start=week)
