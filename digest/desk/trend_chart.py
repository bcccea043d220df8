"""The trend chart: per topic, one cell per week over the last year, coloured by the trend.

Drawn as a server-side SVG: a grid of squares needs no charting library, works without
JavaScript and can be read by screen readers through each cell's <title>.
"""

import datetime
from dataclasses import dataclass, field

from babel.dates import format_date
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from digest.desk.languages import SOURCE_LANGUAGE, admin_language
from digest.models import ArticlePage, Topic
from digest.trends import Trend
from digest.weeks import format_week, monday_of

WEEKS = 52
CELL = 14
GAP = 3
LABEL_WIDTH = 250
HEADER_HEIGHT = 22
COLOURS = {1: "#2e7d32", 0: "#98a2b3", -1: "#c62828"}
EMPTY_FILL = "#ffffff"
EMPTY_STROKE = "#d0d5dd"


@dataclass
class ChartCell:
    week_start: datetime.date
    x: int
    title: str
    trend: Trend | None = None
    url: str | None = None

    @property
    def fill(self) -> str:
        return COLOURS[self.trend.direction] if self.trend else EMPTY_FILL

    @property
    def stroke(self) -> str:
        return self.fill if self.trend else EMPTY_STROKE


@dataclass
class ChartRow:
    label: str
    y: int
    cells: list[ChartCell] = field(default_factory=list)

    @property
    def label_y(self) -> int:
        return self.y + CELL - 3


@dataclass
class TrendChart:
    weeks: list[datetime.date]
    rows: list[ChartRow]
    month_labels: list[tuple[int, str]]
    first_week: str
    last_week: str

    @property
    def width(self) -> int:
        return LABEL_WIDTH + len(self.weeks) * (CELL + GAP)

    @property
    def min_width(self) -> int:
        """Below this the cells get too small to point at; the panel scrolls instead."""
        return self.width * 2 // 3

    @property
    def height(self) -> int:
        return HEADER_HEIGHT + max(len(self.rows), 1) * (CELL + GAP)

    @property
    def cell_size(self) -> int:
        return CELL

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def legend(self) -> list[tuple[str, str]]:
        return [(COLOURS[trend.direction], trend.label) for trend in Trend] + [
            (EMPTY_FILL, _("No published article"))
        ]

    @property
    def is_empty(self) -> bool:
        return not any(cell.trend for row in self.rows for cell in row.cells)


def last_week_with_articles() -> datetime.date:
    latest = (
        ArticlePage.objects.live()
        .filter(locale__language_code=SOURCE_LANGUAGE, week_start__isnull=False)
        .order_by("-week_start")
        .values_list("week_start", flat=True)
        .first()
    )
    return latest or monday_of(datetime.date.today())


def _display_names(topics, language_code: str) -> dict:
    """Topic names in the admin's language where the topic is translated into it."""
    names = {topic.translation_key: topic.name for topic in topics}
    locale = Locale.objects.filter(language_code=language_code).first()
    if locale is not None:
        for translated in Topic.objects.filter(
            translation_key__in=names.keys(), locale=locale
        ).only("translation_key", "name"):
            names[translated.translation_key] = translated.name
    return names


def _month_labels(weeks, language_code: str) -> list[tuple[int, str]]:
    """A label where each month starts; the year on the first one and on January."""
    starts = [
        index
        for index, week_start in enumerate(weeks)
        if index == 0 or week_start.month != weeks[index - 1].month
    ]
    # A month cut short at the chart's left edge has no room for its name.
    if len(starts) > 1 and starts[1] < 4:
        starts = starts[1:]
    labels = []
    for number, index in enumerate(starts):
        week_start = weeks[index]
        pattern = "LLL y" if number == 0 or week_start.month == 1 else "LLL"
        labels.append(
            (
                LABEL_WIDTH + index * (CELL + GAP),
                format_date(week_start, pattern, locale=language_code),
            )
        )
    return labels


def trend_chart(topic: Topic | None = None, end: datetime.date | None = None) -> TrendChart:
    """The chart of the `WEEKS` weeks up to `end` (default: the latest week with articles).

    It ends at the archive's latest week rather than today, so a quiet period (or an old
    archive) still shows a full year of data. With `topic`, only that topic's row.
    """
    language_code = admin_language()
    end = monday_of(end or last_week_with_articles())
    weeks = [end - datetime.timedelta(weeks=WEEKS - 1 - index) for index in range(WEEKS)]

    articles = (
        ArticlePage.objects.live()
        .filter(
            locale__language_code=SOURCE_LANGUAGE,
            week_start__gte=weeks[0],
            week_start__lte=weeks[-1],
        )
        .exclude(trend="")
        .select_related("topic")
    )
    if topic is not None:
        english_topics = list(
            Topic.objects.filter(
                translation_key=topic.translation_key, locale__language_code=SOURCE_LANGUAGE
            )
        )
    else:
        used = articles.values_list("topic_id", flat=True)
        english_topics = list(
            Topic.objects.filter(locale__language_code=SOURCE_LANGUAGE).filter(is_active=True)
            | Topic.objects.filter(pk__in=used)
        )
        english_topics.sort(key=lambda item: (item.sort_order, item.name))
    articles = articles.filter(topic__in=english_topics)

    by_cell = {(article.topic_id, article.week_start): article for article in articles}
    names = _display_names(english_topics, language_code)
    rows = []
    for number, english_topic in enumerate(english_topics):
        row = ChartRow(
            label=names[english_topic.translation_key], y=HEADER_HEIGHT + number * (CELL + GAP)
        )
        for index, week_start in enumerate(weeks):
            article = by_cell.get((english_topic.pk, week_start))
            week_name = format_week(week_start, language_code)
            cell = ChartCell(
                week_start=week_start,
                x=LABEL_WIDTH + index * (CELL + GAP),
                title=week_name,
            )
            if article is not None:
                cell.trend = Trend(article.trend)
                cell.title = f"{week_name}: {cell.trend.label}"
                cell.url = reverse("wagtailadmin_pages:edit", args=[article.pk])
            row.cells.append(cell)
        rows.append(row)
    return TrendChart(
        weeks=weeks,
        rows=rows,
        month_labels=_month_labels(weeks, language_code),
        first_week=format_week(weeks[0], language_code),
        last_week=format_week(weeks[-1], language_code),
    )
