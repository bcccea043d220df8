"""Starting next week: its report and one draft article per topic, ready to be written."""

import datetime

from django.db import transaction
from wagtail.models import Locale

from digest.desk.languages import SOURCE_LANGUAGE
from digest.models import ArticlePage, ArticlePageAuthor, ReportIndexPage, ReportPage, Topic
from digest.weeks import monday_of


def next_week_start(locale: Locale) -> datetime.date:
    """The Monday after the latest report, or this week's Monday when there is none yet."""
    archive = ReportIndexPage.of_publication(locale)
    reports = ReportPage.objects.child_of(archive) if archive else ReportPage.objects.none()
    latest = reports.order_by("-week_start").values_list("week_start", flat=True).first()
    if latest is None:
        return monday_of(datetime.date.today())
    return latest + datetime.timedelta(weeks=1)


def _previous_byline(topic: Topic, before: datetime.date) -> list:
    previous = (
        ArticlePage.objects.filter(locale=topic.locale, topic=topic, week_start__lt=before)
        .order_by("-week_start")
        .first()
    )
    if previous is None:
        return []
    # The latest revision, so a byline changed in a draft is the one carried over.
    latest = previous.get_latest_revision_as_object()
    return [credit.author for credit in latest.authors.all()]


class WeekAlreadyStarted(Exception):
    """The week the editor asked to start is no longer the next one: someone (or a second click
    on the same button) started it already. `report` is that week's report, if it exists."""

    def __init__(self, report: ReportPage | None):
        super().__init__(report)
        self.report = report


@transaction.atomic
def create_next_week(user, week_start: datetime.date | None = None) -> ReportPage:
    """Creates next week's report in English with one draft article per topic in use.

    Articles start with their topic set, no trend, the byline of last week's article on the
    same topic, and a placeholder title; drafts need only a title, so the editor fills in the
    rest before the week is published.

    `week_start` is the week the editor saw on the button: when that week is no longer the
    next one, nothing is created (WeekAlreadyStarted), so a double click or two editors
    clicking at once start one week, not two. The archive row is locked while the week is
    created, so concurrent requests take turns.
    """
    locale = Locale.objects.get(language_code=SOURCE_LANGUAGE)
    # The publication's archive (not another site's), locked while the week is created.
    archive = ReportIndexPage.objects.select_for_update().get(
        pk=ReportIndexPage.of_publication(locale).pk
    )
    start = next_week_start(locale)
    if week_start is not None and week_start != start:
        raise WeekAlreadyStarted(
            ReportPage.objects.child_of(archive).filter(week_start=week_start).first()
        )
    report = ReportPage(week_start=start, live=False, owner=user)
    archive.add_child(instance=report)
    report.save_revision(user=user, log_action="wagtail.create")

    for topic in Topic.objects.filter(locale=locale, is_active=True).order_by("sort_order", "name"):
        article = ArticlePage(
            # English content, whatever language the editor's admin is in.
            title=f"{topic.name} — draft",
            slug=topic.slug,
            topic=topic,
            trend="",
            lead="",
            live=False,
            owner=user,
        )
        # The byline's order is the credits' sort_order (ties come back in any order).
        article.authors = [
            ArticlePageAuthor(author=author, sort_order=position)
            for position, author in enumerate(_previous_byline(topic, report.week_start))
        ]
        report.add_child(instance=article)
        # Drafts are saved without full validation: the lead and the trend come later.
        article.save_revision(user=user, clean=False, log_action="wagtail.create")
    return report
