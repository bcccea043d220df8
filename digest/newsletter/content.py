"""What goes into one week's digest in one language, taken from the published week.

The English week is the source of truth for which articles exist; each article is then served in
the reader's language along the fallback chain (be → ru → en), and marked where it is not in the
edition's own language.
"""

import datetime
from dataclasses import dataclass

from django.utils import translation

from digest.localization import best_translations, fallback_chain
from digest.models import ArticlePage, ReportPage, Topic
from digest.trends import Trend
from digest.weeks import format_week

SOURCE_LANGUAGE = "en"


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
        ReportPage.objects.live()
        .filter(week_start=week_start, locale__language_code=SOURCE_LANGUAGE)
        .first()
    )
    if report is None:
        raise WeekNotPublished(f"No published English report for the week of {week_start}.")
    return report


def week_digest(week_start: datetime.date, language: str) -> WeekDigest:
    report = published_report(week_start)
    english = list(
        ArticlePage.objects.child_of(report)
        .live()
        .public()
        .select_related("topic")
        # Topic order is the publication's fixed order of sections; the tree order breaks ties.
        .order_by("topic__sort_order", "path")
    )
    if not english:
        raise WeekNotPublished(f"The report for the week of {week_start} has no live articles.")

    served = best_translations(
        [article.translation_key for article in english],
        language,
        queryset=ArticlePage.objects.live().public(),
    )
    topics = _topics_in(language, {article.topic.translation_key for article in english})
    items = []
    with translation.override(language):
        for article in english:
            page = served.get(article.translation_key, article)
            trend = Trend(page.trend) if page.trend else None
            items.append(
                DigestItem(
                    topic=topics.get(article.topic.translation_key, article.topic.name),
                    trend=trend.value if trend else "",
                    trend_label=str(trend.label) if trend else "",
                    title=page.title,
                    lead=page.lead,
                    url=page.full_url or "",
                    language=page.locale.language_code,
                )
            )
    return WeekDigest(
        week_start=week_start,
        language=language,
        week_name=format_week(week_start, language),
        items=tuple(items),
    )


def _topics_in(language: str, translation_keys: set) -> dict:
    """Topic names in the edition's language: the section labels belong to the edition, even
    where the article below them is served in another language."""
    chain = fallback_chain(language)
    best: dict = {}
    candidates = Topic.objects.filter(
        translation_key__in=translation_keys, locale__language_code__in=chain
    ).select_related("locale")
    for topic in candidates:
        rank = chain.index(topic.locale.language_code)
        current = best.get(topic.translation_key)
        if current is None or rank < current[0]:
            best[topic.translation_key] = (rank, topic.name)
    return {key: name for key, (_rank, name) in best.items()}
