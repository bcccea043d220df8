"""What goes into one week's digest in one language, taken from the published week.

The English week of the default site, as its readers see it (core.visibility), is the source of
truth for which articles exist; each article is then served as the subscriber's edition serves it
(core.languages: be → ru → en), at its path in that edition, and marked where it is not in the
edition's own language.
"""

import datetime
from dataclasses import dataclass

from django.utils import translation

from core import visibility
from core.languages import SOURCE_LANGUAGE, Edition
from core.paths import edition_paths, frontend_path, frontend_url
from digest.models import ArticlePage, ReportPage, Topic
from digest.trends import Trend
from digest.weeks import format_week


class WeekNotPublished(Exception):
    """There is no live English report (or it has no live articles) for the requested week."""


@dataclass(frozen=True)
class DigestItem:
    topic: str
    trend: str  # Trend value: improved / unchanged / worsened
    trend_label: str
    title: str
    lead: str
    url: str
    language: str  # the language the article is served in

    @property
    def direction(self) -> int:
        return Trend(self.trend).direction if self.trend else 0


@dataclass(frozen=True)
class WeekDigest:
    week_start: datetime.date
    language: str
    week_name: str
    items: tuple[DigestItem, ...]

    @property
    def has_fallbacks(self) -> bool:
        return any(item.language != self.language for item in self.items)


def published_report(week_start: datetime.date) -> ReportPage:
    report = (
        visibility.for_default_site()
        .pages(ReportPage)
        .filter(week_start=week_start, locale__language_code=SOURCE_LANGUAGE)
        .first()
    )
    if report is None:
        raise WeekNotPublished(f"No published English report for the week of {week_start}.")
    return report


def week_digest(week_start: datetime.date, language: str) -> WeekDigest:
    visible = visibility.for_default_site()
    report = published_report(week_start)
    english = list(
        visible.pages(ArticlePage)
        .child_of(report)
        .select_related("topic")
        # Topic order is the publication's fixed order of sections; the tree order breaks ties.
        .order_by("topic__sort_order", "path")
    )
    if not english:
        raise WeekNotPublished(f"The report for the week of {week_start} has no live articles.")

    edition = Edition.of(language, fallback=True)
    served = edition.pick(
        visible.pages(ArticlePage)
        .filter(
            translation_key__in=[article.translation_key for article in english],
            locale__language_code__in=edition.chain,
        )
        .select_related("locale")
    )
    borrowed = [page for page in served.values() if page.locale.language_code != language]
    placed = edition_paths(
        [(page.id, page.path, page.url_path) for page in borrowed], language, visible.pages()
    )
    topics = edition.label_versions(Topic, {article.topic.translation_key for article in english})
    items = []
    with translation.override(language):
        for article in english:
            page = served.get(article.translation_key, article)
            trend = Trend(page.trend) if page.trend else None
            topic = topics.get(article.topic.translation_key, article.topic)
            path = placed.get(page.id) or frontend_path(page.url_path, page.locale.language_code)
            items.append(
                DigestItem(
                    topic=topic.name,
                    trend=trend.value if trend else "",
                    trend_label=str(trend.label) if trend else "",
                    title=page.title,
                    lead=page.lead,
                    url=frontend_url(path) or "",
                    language=page.locale.language_code,
                )
            )
    return WeekDigest(
        week_start=week_start,
        language=language,
        week_name=format_week(week_start, language),
        items=tuple(items),
    )
