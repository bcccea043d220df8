"""Nothing that is not public comes out of any door.

Every URL pattern a reader can reach is taken from the URL resolver and must have a row in
DOORS (or be listed in NOT_FOR_READERS with the reason): a new endpoint without a row fails
`test_every_url_pattern_is_a_door_or_is_not_for_readers`. Each door is then asked for every kind
of hidden content of one site — a draft edit, a password / login / group restriction, a
restricted ancestor week, a never-published translation, a scheduled and an expired article,
another site's week, a private collection's image and document, a topic and an author used only
by private pages — each carrying a marker word, and none of the markers may appear in what the
door answers: not in a body, a header or a redirect. Each door must also show the visible control
article (or answer as it would for a reader), so a door that answers nothing cannot pass.
"""

import datetime
import json
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    Site,
)

from core import api_cache, revalidation
from core.paths import frontend_path
from digest.api.renditions import url_template
from digest.factories import (
    ArticlePageFactory,
    AuthorFactory,
    CreditedImageFactory,
    ReportPageFactory,
    topic,
)
from digest.models import ArticlePage, ArticlePageAuthor, CreditedImage, ReportIndexPage, Topic
from digest.newsletter.content import WeekNotPublished, week_digest
from home.models import HomePage
from tests.api.contract import assert_matches_contract

WEEK = datetime.date(2031, 3, 3)
RESTRICTED_WEEK = datetime.date(2031, 3, 10)
OTHER_SITE_WEEK = datetime.date(2031, 3, 17)
CONTROL = "qqvisible"
MARKERS = (
    "qqdraft",
    "qqpassword",
    "qqlogin",
    "qqgroup",
    "qqancestor",
    "qqtranslation",
    "qqscheduled",
    "qqexpired",
    "qqothersite",
    "qqprivateimage",
    "qqprivatedoc",
    "qqsnippettopic",
    "qqsnippetauthor",
)


@dataclass
class Hidden:
    """The hidden content, and the pages and paths a reader might try."""

    control: ArticlePage
    with_private_photo: ArticlePage
    hidden_pages: list
    hidden_cms_paths: list
    hidden_frontend_paths: list
    private_image_id: int
    private_document: object
    hidden_topic_id: int
    hidden_author_id: int
    payloads: list


def cms_path(page) -> str:
    """The page's path on the CMS itself (Wagtail's page route), as a stray reader would try."""
    return frontend_path(page.url_path, page.locale.language_code) or page.url_path


def _article(parent, marker, **fields):
    fields.setdefault("topic", topic("belarus-west-relations", parent.locale.language_code))
    return ArticlePageFactory(
        parent=parent,
        title=f"Article {marker}",
        lead=f"The lead says {marker} in plain words.",
        **fields,
    )


def _restricted(parent, marker, restriction_type, **kwargs):
    page = _article(parent, marker)
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, **kwargs
    )
    return page, restriction


def build_hidden_content() -> Hidden:
    report = ReportPageFactory(week_start=WEEK)
    report.save_revision().publish()
    control = _article(report, CONTROL)

    # A draft edit of a published article.
    drafted = _article(report, "neutral", topic=topic("security-issues"))
    drafted.title = "Article qqdraft"
    drafted.lead = "The draft says qqdraft."
    drafted.save_revision()

    # View restrictions of every kind.
    password, _ = _restricted(report, "qqpassword", PageViewRestriction.PASSWORD, password="x")
    login, _ = _restricted(report, "qqlogin", PageViewRestriction.LOGIN)
    grouped, restriction = _restricted(report, "qqgroup", PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="Insiders"))

    # A restricted week: its article is public by itself, not through its ancestor.
    restricted_week = ReportPageFactory(week_start=RESTRICTED_WEEK)
    restricted_week.save_revision().publish()
    PageViewRestriction.objects.create(
        page=restricted_week, restriction_type=PageViewRestriction.LOGIN
    )
    under_restriction = _article(restricted_week, "qqancestor")

    # A translation that was never published.
    translation = control.copy_for_translation(
        Locale.objects.get(language_code="be"), copy_parents=True
    )
    translation.title = "Article qqtranslation"
    translation.topic = topic("belarus-west-relations", "be")
    translation.lead = "qqtranslation"
    translation.save_revision()

    # Scheduled for next week: not live until then.
    scheduled = _article(report, "qqscheduled")
    scheduled.unpublish()
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=7)
    scheduled.save_revision().publish()

    # Expired an hour ago; publish_scheduled has not run since.
    expired = _article(report, "qqexpired")
    ArticlePage.objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - datetime.timedelta(hours=1)
    )

    # Another Wagtail site with its own week.
    other_home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Other home", slug="other-home")
    )
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    other_archive = other_home.add_child(
        instance=ReportIndexPage(title="Other archive", slug="other-archive")
    )
    other_week = ReportPageFactory(parent=other_archive, week_start=OTHER_SITE_WEEK)
    other_week.save_revision().publish()
    other_article = _article(other_week, "qqothersite")

    # Media in a private collection: an image an article showed before it was made private,
    # and a document.
    private = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    image = CreditedImageFactory(
        title="qqprivateimage",
        credit="Photo: qqprivateimage",
        description="qqprivateimage",
        file__filename="qqprivateimage.jpg",
    )
    with_private_photo = _article(
        report,
        "photo",
        topic=topic("economy"),
        photo=image,
        body=[
            {"type": "paragraph", "value": "<p>Words around a picture.</p>"},
            {"type": "image", "value": {"image": image.pk, "caption": "A caption"}},
        ],
    )
    type(image).objects.filter(pk=image.pk).update(collection=private)
    document = get_document_model().objects.create(
        title="qqprivatedoc", file="documents/qqprivatedoc.pdf", collection=private
    )

    # A topic and an author that only a private article uses.
    hidden_topic = Topic.objects.create(
        name="qqsnippettopic", slug="qqsnippettopic", locale=Locale.get_default()
    )
    hidden_author = AuthorFactory(name="qqsnippetauthor", slug="qqsnippetauthor")
    ArticlePage.objects.filter(pk=login.pk).update(topic=hidden_topic)
    ArticlePageAuthor.objects.filter(page_id=login.pk).update(author=hidden_author)

    # Redirects to hidden pages, for both redirect doors.
    hidden_pages = [
        password,
        login,
        grouped,
        restricted_week,
        under_restriction,
        translation,
        scheduled,
        expired,
        other_week,
        other_article,
    ]
    for number, page in enumerate(hidden_pages):
        Redirect.objects.create(old_path=f"/old-hidden-{number}", redirect_page=page)
    Redirect.objects.create(old_path="/old-visible", redirect_page=control)

    return Hidden(
        control=control,
        with_private_photo=with_private_photo,
        hidden_pages=hidden_pages,
        hidden_cms_paths=[cms_path(page) for page in hidden_pages],
        hidden_frontend_paths=[
            path
            for page in hidden_pages
            if (path := frontend_path(page.url_path, page.locale.language_code))
        ],
        private_image_id=image.pk,
        private_document=document,
        hidden_topic_id=hidden_topic.pk,
        hidden_author_id=hidden_author.pk,
        payloads=[],
    )


@pytest.fixture(scope="module")
def hidden(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            payloads = []

            def heard(sender, payload, **kwargs):
                payloads.append(payload)

            revalidation.content_changed.connect(heard, dispatch_uid="test-doors")
            try:
                with TestCase.captureOnCommitCallbacks(execute=True):
                    content = build_hidden_content()
            finally:
                revalidation.content_changed.disconnect(dispatch_uid="test-doors")
            content.payloads = payloads
            yield content
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# ---- the doors --------------------------------------------------------------------------------
#
# Each door: the resolver's pattern → a function of the hidden content that returns the URLs a
# reader would try there, and whether the visible control must show in at least one answer.


def _ids(pages):
    return [page.id for page in pages]


def pages_listing(h):
    urls = []
    for locale in ("", "en", "be", "ru"):
        query = f"&locale={locale}" if locale else ""
        urls += [
            f"/api/v2/pages/?limit=100&fields=*{query}",
            f"/api/v2/pages/?type=digest.ArticlePage&limit=100&fields=*{query}",
            f"/api/v2/pages/?type=digest.ReportPage&limit=100&fields=*{query}",
        ]
    return urls


def pages_detail(h):
    urls = [f"/api/v2/pages/{page_id}/" for page_id in _ids(h.hidden_pages)]
    urls += [f"/api/v2/pages/{page_id}/?locale=be" for page_id in _ids(h.hidden_pages)]
    report = h.control.get_parent()
    return [
        f"/api/v2/pages/{h.control.id}/",
        f"/api/v2/pages/{h.with_private_photo.id}/",
        f"/api/v2/pages/{report.id}/",
        f"/api/v2/pages/{report.id}/?locale=be",
        *urls,
    ]


def pages_find(h):
    paths = ["/", "/be/", "/situation-in-belarus/2031-03-03/", *h.hidden_frontend_paths]
    return [f"/api/v2/pages/find/?html_path={quote(path)}" for path in paths]


def topics(h):
    return ["/api/v2/topics/?limit=100", f"/api/v2/topics/{h.hidden_topic_id}/"]


def authors(h):
    return ["/api/v2/authors/?limit=100", f"/api/v2/authors/{h.hidden_author_id}/"]


def images(h):
    return ["/api/v2/images/?limit=100", f"/api/v2/images/{h.private_image_id}/"]


def image_renditions(h):
    """The private image by a URL signed for it (as the API gave it before the image was made
    private), plain and cropped, in every format; and the control article's public photo."""
    private = CreditedImage.objects.get(pk=h.private_image_id)
    public = h.control.photo
    urls = []
    for image in (private, public):
        template = url_template(image).removeprefix(settings.WAGTAILAPI_BASE_URL)
        urls += [
            template.format(size=size, format=image_format)
            for width in settings.IMAGE_RENDITION_WIDTHS[:1]
            for size in (width, f"{width}-{settings.IMAGE_RENDITION_CROPS[0]}")
            for image_format in settings.IMAGE_RENDITION_FORMATS
        ]
    return urls


def documents(h):
    return ["/api/v2/documents/?limit=100", f"/api/v2/documents/{h.private_document.id}/"]


def no_find(endpoint):
    return lambda h: [f"/api/v2/{endpoint}/find/?slug=qqsnippettopic"]


def trends(h):
    return [f"/api/v2/trends/?locale={language}" for language in ("en", "be", "ru")]


def search(h):
    words = [CONTROL, *MARKERS]
    return [
        f"/api/v2/search/?q={word}&locale={language}" for word in words for language in ("en", "be")
    ]


def suggest(h):
    return [f"/api/v2/search/suggest/?q={word[:6]}&locale=en" for word in (CONTROL, *MARKERS)]


def feeds(kind):
    return lambda h: [f"/api/v2/feeds/{language}/{kind}/" for language in ("en", "be", "ru")]


def sitemap(h):
    return ["/api/v2/sitemap.xml"]


def changes(h):
    """The change feed from its start (the hidden content was built in one transaction, so
    it holds every page that became visible), in pages too; and without a cursor."""
    return [
        "/api/v2/changes/?since=0&limit=500",
        "/api/v2/changes/?since=0&limit=1",
        "/api/v2/changes/",
    ]


def redirects_find(h):
    numbers = range(len(h.hidden_pages))
    return ["/api/v2/redirects/find/?html_path=/old-visible"] + [
        f"/api/v2/redirects/find/?html_path=/old-hidden-{number}" for number in numbers
    ]


def cms_pages(h):
    """Wagtail's page route (which sends readers on to the frontend), and its redirects."""
    numbers = range(len(h.hidden_pages))
    return [
        "/old-visible",
        cms_path(h.control),
        *h.hidden_cms_paths,
        *(f"/old-hidden-{number}" for number in numbers),
    ]


def document_files(h):
    document = h.private_document
    return [f"/documents/{document.id}/qqprivatedoc.pdf"]


DOORS = {
    "api/v2/^pages/": pages_listing,
    "api/v2/^pages/<int:pk>/": pages_detail,
    "api/v2/^pages/find/": pages_find,
    "api/v2/^topics/": topics,
    "api/v2/^topics/<int:pk>/": topics,
    "api/v2/^topics/find/": no_find("topics"),
    "api/v2/^authors/": authors,
    "api/v2/^authors/<int:pk>/": authors,
    "api/v2/^authors/find/": no_find("authors"),
    "api/v2/^images/": images,
    "api/v2/^images/<int:pk>/": images,
    "api/v2/^images/find/": no_find("images"),
    "api/v2/images/<int:image_id>/<str:signature>/<str:name>": image_renditions,
    "api/v2/^documents/": documents,
    "api/v2/^documents/<int:pk>/": documents,
    "api/v2/^documents/find/": no_find("documents"),
    "api/v2/trends/": trends,
    "api/v2/search/": search,
    "api/v2/search/suggest/": suggest,
    "api/v2/feeds/<str:language>/rss/": feeds("rss"),
    "api/v2/feeds/<str:language>/atom/": feeds("atom"),
    "api/v2/sitemap.xml": sitemap,
    "api/v2/changes/": changes,
    "api/v2/redirects/find/": redirects_find,
    "^((?:[\\w\\-]+/)*)$": cms_pages,
    "documents/^(\\d+)/(.*)$": document_files,
}
# Doors whose answer shows the visible control article (the others answer about media, empty
# finds or vocabulary; their rows still must not show a marker).
SHOWS_CONTROL = {
    "api/v2/^pages/",
    "api/v2/^pages/<int:pk>/",
    "api/v2/^pages/find/",
    "api/v2/search/",
    "api/v2/search/suggest/",
    "api/v2/feeds/<str:language>/rss/",
    "api/v2/feeds/<str:language>/atom/",
    "api/v2/sitemap.xml",
    "api/v2/changes/",
    "api/v2/redirects/find/",
    "^((?:[\\w\\-]+/)*)$",
}
NOT_FOR_READERS = {
    "api/v2/newsletter/subscribe/": "takes an address; answers nothing about content",
    "api/v2/newsletter/confirm/": "needs the subscriber's e-mailed token",
    "api/v2/newsletter/unsubscribe/": "needs the subscriber's e-mailed token",
    "api/v2/newsletter/preferences/": "needs the subscriber's e-mailed token",
    "api/v2/page_preview/": "needs a preview token from an editor (tests/desk/test_preview.py)",
    "api/v2/openapi.json": "the contract: no content",
    "api/v2/": "the index: endpoint URLs, no content",
    "healthz": "ok/error per check, no content",
    "readyz": "ok/error per check, no content",
    "documents/authenticate_with_password/<int:restriction_id>/": "Wagtail's password form",
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": (
        "Wagtail's password form"
    ),
    "_util/login/": "Wagtail's sign-in form",
}


def url_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def reader_patterns() -> list[str]:
    return [
        pattern
        for pattern in url_patterns()
        if not pattern.startswith(("admin/", "static/", "media/"))
    ]


def test_every_url_pattern_is_a_door_or_is_not_for_readers():
    patterns = set(reader_patterns())
    unknown = patterns - DOORS.keys() - NOT_FOR_READERS.keys()
    assert not unknown, f"a reader-facing URL without a row in DOORS: {sorted(unknown)}"
    assert not (DOORS.keys() | NOT_FOR_READERS.keys()) - patterns, "a row for a gone URL"


def answer_text(response, url: str) -> str:
    """Status, headers and body — less the URL asked for, which a sign-in redirect repeats."""
    parts = [str(response.status_code), json.dumps(dict(response.headers))]
    if not getattr(response, "streaming", False):
        parts.append(response.content.decode("utf-8", "replace"))
    text = "\n".join(parts)
    for asked in (url, quote(url), quote(url, safe="")):
        text = text.replace(asked, "<the URL asked for>")
    return text


@pytest.mark.parametrize("door", sorted(DOORS))
def test_no_door_shows_hidden_content(hidden, db, client, door):
    answers = []
    for url in DOORS[door](hidden):
        response = client.get(url)
        assert response.status_code < 500, url
        if url.startswith("/api/v2/") and response.get("Content-Type", "").startswith(
            "application/json"
        ):
            assert_matches_contract(response)
            # Compact: no door answers indented JSON (core.api_json).
            assert b"\n" not in response.content, f"{url} answers indented JSON"
        text = answer_text(response, url)
        leaked = [marker for marker in MARKERS if marker in text]
        assert not leaked, f"{url} shows {leaked}"
        answers.append(text)
    if door in SHOWS_CONTROL:
        assert any(CONTROL in text or "article-qqvisible" in text for text in answers), (
            f"{door} never showed the visible article: the door test would pass for nothing"
        )


def test_a_week_of_another_site_is_not_mailed_and_hidden_articles_are_not_in_the_digest(hidden, db):
    with pytest.raises(WeekNotPublished):
        week_digest(OTHER_SITE_WEEK, "en")
    with pytest.raises(WeekNotPublished):
        week_digest(RESTRICTED_WEEK, "en")
    for language in ("en", "be", "ru"):
        digest = week_digest(WEEK, language)
        text = json.dumps([item.__dict__ for item in digest.items])
        assert CONTROL in text
        assert not [marker for marker in MARKERS if marker in text], language


def test_webhook_payloads_name_no_page_readers_never_could_see(hidden, db):
    """A page published under a restricted week, and a draft, are announced to no frontend; a
    page readers can see is (with its week). Pages that were public until a change — an
    unpublished article, a newly restricted week — are announced, since frontends must drop
    them."""
    payloads = []

    def heard(sender, payload, **kwargs):
        payloads.append(payload)

    revalidation.content_changed.connect(heard, dispatch_uid="test-doors-webhooks")
    try:
        restricted_week = hidden.hidden_pages[3]
        with TestCase.captureOnCommitCallbacks(execute=True):
            _article(restricted_week, "qqwebhookancestor", topic=topic("economy"))
        with TestCase.captureOnCommitCallbacks(execute=True):
            hidden.control.title = "qqwebhookdraft"
            hidden.control.save_revision()
        with TestCase.captureOnCommitCallbacks(execute=True):
            _article(hidden.control.get_parent(), "qqwebhookvisible", topic=topic("economy"))
    finally:
        revalidation.content_changed.disconnect(dispatch_uid="test-doors-webhooks")
    text = json.dumps(payloads)
    assert "article-qqwebhookvisible" in text
    assert "/situation-in-belarus/2031-03-03/" in text
    assert "qqwebhookancestor" not in text
    assert "qqwebhookdraft" not in text


def test_an_article_shown_with_a_private_image_shows_no_trace_of_it(hidden, db, client):
    data = client.get(f"/api/v2/pages/{hidden.with_private_photo.id}/").json()
    assert data["photo"] is None
    image_blocks = [block for block in data["body"] if block["type"] == "image"]
    assert image_blocks and all(block["value"]["image"] is None for block in image_blocks)


def test_an_expired_page_disappears_at_its_expiry_even_from_the_cache(
    hidden, db, client, monkeypatch
):
    expiry = timezone.now() + datetime.timedelta(hours=1)
    article = _article(
        hidden.control.get_parent(), "soon", topic=topic("economy"), expire_at=expiry
    )
    url = f"/api/v2/pages/{article.id}/"
    listing = "/api/v2/pages/?type=digest.ArticlePage&limit=100"
    assert client.get(url).status_code == 200
    assert article.id in [item["id"] for item in client.get(listing).json()["items"]]
    assert "s-maxage=60" in client.get(url)["Cache-Control"]

    # An hour and a minute later; nothing has changed, publish_scheduled has not run.
    later = expiry + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(api_cache, "now_us", lambda: int(later.timestamp() * 1_000_000))
    assert client.get(url).status_code == 404
    assert article.id not in [item["id"] for item in client.get(listing).json()["items"]]


def test_shared_caches_never_keep_an_answer_past_the_next_expiry(hidden, db, client):
    expiry = timezone.now() + datetime.timedelta(seconds=30)
    _article(hidden.control.get_parent(), "shortly", topic=topic("economy"), expire_at=expiry)
    cache_control = client.get("/api/v2/pages/?limit=1")["Cache-Control"]
    s_maxage = int(cache_control.split("s-maxage=")[1].split(",")[0])
    assert s_maxage <= 30
