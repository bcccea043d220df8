"""Per-edition RSS and Atom feeds of articles, and an XML sitemap with hreflang alternates.

Every link points at the frontend (FRONTEND_BASE_URL); only visible pages appear. A feed is its
language's edition (core.languages): the BE/RU feed lists every article, Russian where no
Belarusian exists, at its `/be/…` path, under Belarusian topic names and bylines. The sitemap
lists each page once in each language it really exists in: a borrowed page is no alternate.
"""

import datetime
import logging
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import override

from core import text, visibility
from core.languages import LANGUAGES, Edition
from core.paths import edition_paths, frontend_path, frontend_url, language_prefix
from digest.models import ArticlePage, Author, ReportIndexPage, Topic
from digest.weeks import week_end_for

FEED_LENGTH = 30
logger = logging.getLogger(__name__)


@dataclass
class FeedSource:
    language: str
    visibility: visibility.Visibility
    paths: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)
    authors: dict = field(default_factory=dict)

    @property
    def edition(self) -> Edition:
        return Edition.of(self.language)

    def place(self, articles) -> None:
        """Edition paths and labels of the borrowed articles, in four queries for all."""
        borrowed = [a for a in articles if a.locale.language_code != self.language]
        self.paths = edition_paths(
            [(a.id, a.path, a.url_path) for a in borrowed], self.language, self.visibility.pages()
        )
        edition = self.edition
        self.topics = edition.label_versions(Topic, {a.topic.translation_key for a in borrowed})
        self.authors = edition.label_versions(
            Author, {c.author.translation_key for a in borrowed for c in a.authors.all()}
        )

    def archive(self):
        return (
            self.visibility.pages(ReportIndexPage)
            .filter(locale__language_code=self.language)
            .first()
        )


def week_date(week_start: datetime.date | None) -> datetime.datetime | None:
    """Midnight at the start of the week's Sunday, in the CMS's time zone."""
    if week_start is None:
        return None
    sunday = week_end_for(week_start)
    return timezone.make_aware(datetime.datetime.combine(sunday, datetime.time()))


class ArticlesFeed(Feed):
    """One instance serves every request, so per-request state lives in the FeedSource.

    A feed never fails as a whole: every text it writes is cleaned of control characters
    (core.text; stored text is clean, but a row written before that rule, or around the ORM,
    would make the XML unwritable), and an article that cannot be rendered is left out and
    logged, not allowed to take its language's whole feed down.
    """

    feed_type = Rss201rev2Feed
    ITEM_ATTRIBUTES = (
        "item_title",
        "item_description",
        "item_link",
        "item_guid",
        "item_pubdate",
        "item_updateddate",
        "item_author_name",
        "item_categories",
    )

    def _get_dynamic_attr(self, attname, obj, default=None):
        value = super()._get_dynamic_attr(attname, obj, default)
        if isinstance(value, str):
            return text.clean(value, single_line=attname != "item_description")
        if isinstance(value, list | tuple):
            return [text.clean(v, single_line=True) if isinstance(v, str) else v for v in value]
        return value

    def renderable(self, article) -> bool:
        try:
            for attribute in self.ITEM_ATTRIBUTES:
                self._get_dynamic_attr(attribute, article)
        except Exception:  # one broken article, not the feed
            logger.exception("Feed: article %s left out, it cannot be rendered", article.id)
            return False
        return True

    def get_object(self, request, language):
        if language not in LANGUAGES:
            raise Http404(f"No feed for locale '{language}'.")
        return FeedSource(language, visibility.for_request(request))

    def get_feed(self, source, request):
        # Django's feed takes its declared language from the active one.
        with override(source.language):
            return super().get_feed(source, request)

    def title(self, source):
        archive = source.archive()
        return archive.title if archive else settings.WAGTAIL_SITE_NAME

    def link(self, source):
        return frontend_url(f"{language_prefix(source.language)}/")

    def description(self, source):
        archive = source.archive()
        return archive.intro if archive else ""

    def items(self, source):
        edition = source.edition
        articles = source.visibility.pages(ArticlePage)
        items = list(
            edition.best(articles.filter(locale__language_code__in=edition.chain), articles)
            .select_related("topic", "locale")
            .prefetch_related("authors__author")
            .order_by("-week_start", "topic__sort_order", "id")[:FEED_LENGTH]
        )
        source.place(items)
        for article in items:
            article.feed_source = source
        return [article for article in items if self.renderable(article)]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.lead

    def item_link(self, article):
        source = article.feed_source
        path = source.paths.get(article.id) or frontend_path(
            article.url_path, article.locale.language_code
        )
        return frontend_url(path)

    def item_guid(self, article):
        """The article's address on the frontend: where a reader of the feed goes."""
        return self.item_link(article)

    item_guid_is_permalink = True

    def item_pubdate(self, article):
        """The week the article belongs to (its last day), not when the CMS published it: an
        archive loaded or republished today is still dated by its weeks."""
        return week_date(article.week_start)

    def item_updateddate(self, article):
        return article.last_published_at

    def item_author_name(self, article):
        authors = article.feed_source.authors
        names = [
            authors.get(credit.author.translation_key, credit.author).name
            for credit in article.authors.all()
        ]
        return ", ".join(names) or None

    def item_categories(self, article):
        source = article.feed_source
        categories = [source.topics.get(article.topic.translation_key, article.topic).name]
        if article.trend:
            with override(source.language):
                categories.append(str(article.trend_choice.label))
        return categories


class AtomArticlesFeed(ArticlesFeed):
    feed_type = Atom1Feed

    def subtitle(self, source):
        return self.description(source)


def alternate_link(language: str, url: str) -> str:
    return f'    <xhtml:link rel="alternate" hreflang={quoteattr(language)} href={quoteattr(url)}/>'


def sitemap(request):
    """Every public page once, with its live translations as hreflang alternates."""
    pages = (
        visibility.for_request(request)
        .pages()
        .order_by("path")
        .values_list("translation_key", "locale__language_code", "url_path", "last_published_at")
    )
    by_key = {}
    for key, language, url_path, last_published in pages:
        url = frontend_url(frontend_path(url_path, language))
        if url:
            by_key.setdefault(key, []).append((language, url, last_published))

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for versions in by_key.values():
        alternates = [alternate_link(language, url) for language, url, _modified in versions]
        default = next(
            (url for language, url, _modified in versions if language == settings.LANGUAGE_CODE),
            None,
        )
        if default and len(versions) > 1:
            alternates.append(alternate_link("x-default", default))
        for _language, url, modified in versions:
            lines.append("  <url>")
            lines.append(f"    <loc>{escape(url)}</loc>")
            if modified:
                lines.append(f"    <lastmod>{modified.date().isoformat()}</lastmod>")
            if len(versions) > 1:
                lines.extend(alternates)
            lines.append("  </url>")
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines) + "\n", content_type="application/xml; charset=utf-8")
