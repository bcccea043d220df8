"""How each page type looks in the API — one representation per type, shared by every endpoint.

A response is built in three steps so that query counts do not grow with the number of items:
`prepare()` fetches related pages in bulk (a week's articles, related articles, the home page's
latest week), `collect()` registers what each item needs (images, links, translations, embeds)
with the ApiContext, `ApiContext.load()` fetches those, and `represent()` writes the JSON.
"""

import datetime
import functools

from django.conf import settings
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.utils import translation
from wagtail.models import Page

from core.languages import Edition
from core.paths import frontend_url
from digest.api import params
from digest.api.images import image_representation
from digest.api.richtext import frontend_html
from digest.models import (
    ArticlePage,
    ArticlePageAuthor,
    ArticlePageRelatedArticle,
    Author,
    ReportIndexPage,
    ReportPage,
    Topic,
)
from digest.trends import Trend
from digest.weeks import format_week, week_end_for
from home.models import HomePage

RELATED_ARTICLES = 3
RELATED_LOOKBACK = datetime.timedelta(weeks=26)


def model_name(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def detail_url(page_id: int) -> str:
    return f"{settings.WAGTAILAPI_BASE_URL}/api/v2/pages/{page_id}/"


# Texts the frontend prints as text (escaped); HTML fields say `text/html`.
PLAIN_TEXT = {"type": "string", "contentMediaType": "text/plain"}


def week_representation(week_start, language: str) -> dict | None:
    if week_start is None:
        return None
    return dict(_week_representation(week_start, language))


def trend_representation(value: str, language: str) -> dict | None:
    if not value:
        return None
    return dict(_trend_representation(value, language))


# Both depend only on their arguments (CLDR data, gettext catalogues) and appear in every
# summary, so each process formats a week or a trend label once; callers get their own copy.
@functools.lru_cache(maxsize=4096)
def _week_representation(week_start, language: str) -> dict:
    return {
        "start": week_start.isoformat(),
        "end": week_end_for(week_start).isoformat(),
        "title": format_week(week_start, language),
    }


@functools.lru_cache(maxsize=64)
def _trend_representation(value: str, language: str) -> dict:
    trend = Trend(value)
    with translation.override(language):
        label = str(trend.label)
    return {"value": trend.value, "label": label, "direction": trend.direction}


class PageRepresenter:
    """What every page has: id, type, meta and title. Each page type has its own subclass
    (REPRESENTERS): the contract's `Page` union lists exactly these types."""

    model = Page
    select_related: tuple[str, ...] = ("locale",)
    # Top-level fields in order; listing defaults; fields only shown on a single page.
    fields: tuple[str, ...] = ("title",)
    listing_fields: tuple[str, ...] = ("title",)
    detail_only: frozenset[str] = frozenset()
    # JSON Schema of each field, for the OpenAPI contract (digest.api.openapi).
    field_schemas: dict = {"title": {"type": "string"}}

    def prepare(self, pages, api, fields) -> None:
        """Fetch related pages for all `pages` at once."""

    def collect(self, page, api, fields) -> None:
        api.translation_keys.add(page.translation_key)
        api.add_borrowed(page)

    def meta(self, page, api) -> dict:
        served = page.locale.language_code
        path = api.path_of(page)
        requested = api.language or served
        return {
            "type": model_name(type(page)),
            "detail_url": detail_url(page.id),
            "html_url": frontend_url(path),
            "path": path,
            "slug": page.slug,
            "locale": requested,
            "served_locale": served,
            "fallback": requested != served,
            "first_published_at": page.first_published_at,
            "last_published_at": page.last_published_at,
            "seo_title": page.seo_title,
            "search_description": page.search_description,
            "translations": api.translations_of(page),
        }

    def values(self, page, api, fields) -> dict:
        return {"title": page.title}

    def represent(self, page, api, fields) -> dict:
        values = self.values(page, api, fields)
        return {
            "id": page.id,
            "type": model_name(type(page)),
            "meta": self.meta(page, api),
            **{name: values[name] for name in self.fields if name in fields},
        }


class ArticleRepresenter(PageRepresenter):
    model = ArticlePage
    select_related = ("locale", "topic", "photo")
    fields = (
        "title",
        "topic",
        "trend",
        "week",
        "lead",
        "thumbnail",
        "authors",
        "photo",
        "body",
        "related_articles",
    )
    listing_fields = ("title", "topic", "trend", "week", "lead", "thumbnail")
    detail_only = frozenset({"body", "related_articles"})
    # What a week's summaries may carry too (`include`): the body, though detail-only elsewhere.
    includable = frozenset(params.WEEK_ARTICLE_INCLUDES)
    field_schemas = {
        "title": {"type": "string"},
        "topic": {"$ref": "#/components/schemas/TopicRef"},
        "trend": {"oneOf": [{"$ref": "#/components/schemas/Trend"}, {"type": "null"}]},
        "week": {"$ref": "#/components/schemas/Week"},
        "lead": PLAIN_TEXT,
        "thumbnail": {"oneOf": [{"$ref": "#/components/schemas/Image"}, {"type": "null"}]},
        "authors": {"type": "array", "items": {"$ref": "#/components/schemas/AuthorRef"}},
        "photo": {"oneOf": [{"$ref": "#/components/schemas/Image"}, {"type": "null"}]},
        "body": {"type": "array", "items": {"$ref": "#/components/schemas/BodyBlock"}},
        "related_articles": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/ArticlePageSummary"},
        },
    }

    def prepare(self, pages, api, fields) -> None:
        prefetch_related_objects(pages, "topic", "photo", "locale")
        # A preview's byline and picks are the draft's, already in memory (modelcluster).
        if "authors" in fields and not api.preview:
            prefetch_related_objects(
                pages,
                Prefetch("authors", queryset=ArticlePageAuthor.objects.select_related("author")),
            )
        borrowed = [page for page in pages if api.is_borrowed(page)]
        if borrowed:
            # A borrowed text is labelled in the reader's language: its topic and byline.
            edition = api.edition
            api.topics.update(
                edition.label_versions(Topic, {page.topic.translation_key for page in borrowed})
            )
            if "authors" in fields:
                keys = {
                    credit.author.translation_key
                    for page in borrowed
                    for credit in page.authors.all()
                }
                api.authors.update(edition.label_versions(Author, keys))
        if "related_articles" in fields:
            self._prepare_related(pages, api)

    @staticmethod
    def _edition_for(page, api) -> Edition:
        return api.edition or Edition.of(page.locale.language_code)

    def _prepare_related(self, pages, api) -> None:
        """The editor's picks in the reader's edition, topped up with the topic's past weeks.

        Two queries for any number of pages: the picks, then every candidate at once.
        """
        picks = {page.id: [] for page in pages}
        if api.preview:
            # The draft's picks, in memory (a page previewed before it was ever saved has no
            # id, hence nothing in the database).
            for page in pages:
                related_ids = [pick.related_id for pick in page.related_articles.all()]
                keys = dict(
                    Page.objects.filter(id__in=related_ids).values_list("id", "translation_key")
                )
                picks[page.id] = [keys[pk] for pk in related_ids if pk in keys]
        else:
            for page_id, key in (
                ArticlePageRelatedArticle.objects.filter(page__in=pages)
                .order_by("sort_order")
                .values_list("page_id", "related__translation_key")
            ):
                picks[page_id].append(key)
        wanted = Q()
        for page in pages:
            chain = self._edition_for(page, api).chain
            if picks[page.id]:
                wanted |= Q(translation_key__in=picks[page.id], locale__language_code__in=chain)
            if page.week_start:
                wanted |= Q(
                    locale__language_code__in=chain,
                    topic__translation_key=page.topic.translation_key,
                    week_start__lt=page.week_start,
                    week_start__gte=page.week_start - RELATED_LOOKBACK,
                )
        candidates = (
            list(
                api.public_pages(ArticlePage)
                .filter(wanted)
                .select_related("topic", "photo", "locale")
                .order_by("-week_start", "id")
            )
            if wanted
            else []
        )
        for page in pages:
            edition = self._edition_for(page, api)
            best = edition.pick(candidates)
            related = [
                best[key] for key in picks[page.id] if key in best and key != page.translation_key
            ]
            chosen = {article.translation_key for article in related}
            for candidate in sorted(
                best.values(), key=lambda article: (-article.week_start.toordinal(), article.id)
            ):
                if len(related) >= RELATED_ARTICLES:
                    break
                if (
                    candidate.topic.translation_key == page.topic.translation_key
                    and page.week_start
                    and candidate.week_start < page.week_start
                    and candidate.translation_key not in chosen
                    and candidate.translation_key != page.translation_key
                ):
                    related.append(candidate)
                    chosen.add(candidate.translation_key)
            page.api_related = related[:RELATED_ARTICLES]
        nested = [article for page in pages for article in page.api_related]
        if nested:
            ARTICLE_SUMMARY.prepare(nested, api, ARTICLE_SUMMARY.listing_fields)
            for article in nested:
                ARTICLE_SUMMARY.collect(article, api, ARTICLE_SUMMARY.listing_fields)

    def collect(self, page, api, fields) -> None:
        super().collect(page, api, fields)
        if "photo" in fields or "thumbnail" in fields:
            api.add_images([page.photo])
        if "body" in fields:
            page.body.stream_block.collect_api_dependencies(page.body, api)

    def topic(self, page, api) -> dict:
        topic = page.topic
        if api.is_borrowed(page):
            # The reader's interface language names the topic even when the text is borrowed.
            topic = api.topics.get(topic.translation_key, topic)
        return {"id": topic.id, "slug": topic.slug, "name": topic.name}

    def byline(self, page, api) -> list[dict]:
        authors = [credit.author for credit in page.authors.all()]
        if api.is_borrowed(page):
            authors = [api.authors.get(author.translation_key, author) for author in authors]
        return [
            {"id": author.id, "slug": author.slug, "name": author.name, "role": author.role}
            for author in authors
        ]

    @staticmethod
    def photo(page, api, thumbnail: bool = False) -> dict | None:
        """The photo, unless it sits in a private collection (then none is shown at all)."""
        if not api.shows_image(page.photo):
            return None
        return image_representation(page.photo, thumbnail=thumbnail)

    def values(self, page, api, fields) -> dict:
        language = api.language or page.locale.language_code
        values = {
            "title": page.title,
            "topic": self.topic(page, api) if "topic" in fields else None,
            "trend": trend_representation(page.trend, language),
            "week": week_representation(page.week_start, language),
            "lead": page.lead,
        }
        if "thumbnail" in fields:
            values["thumbnail"] = self.photo(page, api, thumbnail=True)
        if "photo" in fields:
            values["photo"] = self.photo(page, api)
        if "authors" in fields:
            values["authors"] = self.byline(page, api)
        if "body" in fields:
            with translation.override(language):
                values["body"] = page.body.stream_block.get_api_representation(
                    page.body, context={"api": api}
                )
        if "related_articles" in fields:
            values["related_articles"] = [
                ARTICLE_SUMMARY.represent(article, api, ARTICLE_SUMMARY.listing_fields)
                for article in getattr(page, "api_related", [])
            ]
        return values


class ReportRepresenter(PageRepresenter):
    model = ReportPage
    fields = ("title", "week", "summary", "articles")
    listing_fields = ("title", "week", "summary")
    field_schemas = {
        "title": {"type": "string"},
        "week": {"$ref": "#/components/schemas/Week"},
        "summary": PLAIN_TEXT,
        "articles": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/ArticlePageSummary"},
        },
    }

    @staticmethod
    def article_fields(api) -> set[str]:
        """A week's articles: summaries, with what `include` asked for."""
        return {*ARTICLE_SUMMARY.listing_fields, *api.include}

    def prepare(self, reports, api, fields) -> None:
        if "articles" not in fields:
            return
        for report in reports:
            report.api_articles = week_articles(report, api)
        articles = [article for report in reports for article in report.api_articles]
        if articles:
            article_fields = self.article_fields(api)
            ARTICLE_SUMMARY.prepare(articles, api, article_fields)
            for article in articles:
                ARTICLE_SUMMARY.collect(article, api, article_fields)

    def values(self, page, api, fields) -> dict:
        language = api.language or page.locale.language_code
        values = {
            "title": format_week(page.week_start, language) if api.language else page.title,
            "week": week_representation(page.week_start, language),
            "summary": page.summary,
        }
        if "articles" in fields:
            article_fields = self.article_fields(api)
            values["articles"] = [
                ARTICLE_SUMMARY.represent(article, api, article_fields)
                for article in getattr(page, "api_articles", [])
            ]
        return values


class ReportIndexRepresenter(PageRepresenter):
    model = ReportIndexPage
    fields = ("title", "intro")
    listing_fields = ("title",)
    field_schemas = {"title": {"type": "string"}, "intro": PLAIN_TEXT}

    def values(self, page, api, fields) -> dict:
        return {"title": page.title, "intro": page.intro}


class HomeRepresenter(PageRepresenter):
    model = HomePage
    fields = ("title", "about", "newsletter", "latest_week")
    listing_fields = ("title",)
    field_schemas = {
        "title": {"type": "string"},
        "about": {
            "type": "string",
            "contentMediaType": "text/html",
            "description": "Sanitized HTML.",
        },
        "newsletter": {"$ref": "#/components/schemas/NewsletterBox"},
        "latest_week": {
            "oneOf": [{"$ref": "#/components/schemas/ReportPage"}, {"type": "null"}],
            "description": "The latest published week with its articles.",
        },
    }

    def prepare(self, pages, api, fields) -> None:
        if "latest_week" not in fields:
            return
        for home in pages:
            edition = api.edition or Edition.of(home.locale.language_code)
            reports = api.public_pages(ReportPage)
            home.api_latest_week = (
                edition.best(reports.filter(locale__language_code__in=edition.chain), reports)
                .select_related("locale")
                .order_by("-week_start")
                .first()
            )
        weeks = [home.api_latest_week for home in pages if home.api_latest_week]
        if weeks:
            REPORT.prepare(weeks, api, REPORT.fields)
            for week in weeks:
                REPORT.collect(week, api, REPORT.fields)

    def collect(self, page, api, fields) -> None:
        super().collect(page, api, fields)
        if "about" in fields:
            api.collect_rich_text(page.about)

    def values(self, page, api, fields) -> dict:
        latest = getattr(page, "api_latest_week", None)
        return {
            "title": page.title,
            "about": frontend_html(page.about, api) if "about" in fields else "",
            "newsletter": {
                "title": page.newsletter_title,
                "text": page.newsletter_text,
                "success_message": page.newsletter_success,
            },
            "latest_week": REPORT.represent(latest, api, REPORT.fields) if latest else None,
        }


def week_articles(report, api) -> list:
    """A week's articles in the reader's edition: the week decides which articles exist (in any
    language of the edition's chain), each served in the best language the edition has."""
    edition = api.edition or Edition.of(report.locale.language_code)
    articles = api.public_pages(ArticlePage)
    weeks = Page.objects.filter(
        translation_key=report.translation_key, locale__language_code__in=edition.chain
    ).values_list("path", flat=True)
    inside = Q()
    for path in weeks:
        inside |= Q(path__startswith=path)
    if not inside:
        return []
    return list(
        edition.best(
            articles.filter(
                inside, depth=report.depth + 1, locale__language_code__in=edition.chain
            ),
            articles,
        )
        .select_related("topic", "photo", "locale")
        .order_by("topic__sort_order", "title")
    )


ARTICLE_SUMMARY = ArticleRepresenter()
REPORT = ReportRepresenter()
REPRESENTERS = {
    representer.model: representer
    for representer in (
        ARTICLE_SUMMARY,
        REPORT,
        ReportIndexRepresenter(),
        HomeRepresenter(),
    )
}


def representer_for(model) -> PageRepresenter:
    return REPRESENTERS[model]


def represent_pages(pages, api, fields_for) -> list[dict]:
    """Represent specific pages (any mix of types) with bulk loading.

    `fields_for(representer)` returns the set of field names to include for that type.
    """
    by_type = {}
    for page in pages:
        by_type.setdefault(type(page), []).append(page)
    for model, group in by_type.items():
        representer = representer_for(model)
        representer.prepare(group, api, fields_for(representer))
    for page in pages:
        representer = representer_for(type(page))
        representer.collect(page, api, fields_for(representer))
    api.load()
    return [
        representer_for(type(page)).represent(page, api, fields_for(representer_for(type(page))))
        for page in pages
    ]


def represent_page(page, api) -> dict:
    """A single page (detail, find, preview): every field of its type."""
    [data] = represent_pages([page], api, lambda representer: set(representer.fields))
    return data
