"""The starter frontend (frontend_contract/starter/), served by Node against the live CMS and read
in Chromium, in English, Belarusian and Russian: what readers and an editor's Preview see.

The starter reads the API only through the SDK, so this also proves the contract suffices to build
the site: home, archive, week, article (every body block), topic archive, the language switch,
the BE/RU edition's badge on a Russian article, the preview of a draft and the 404 page.
"""

import hashlib
import json
import os
import select
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.blocks import StreamValue
from wagtail.embeds.models import Embed

from core.paths import frontend_path
from digest.demo import DemoLoader
from digest.factories import locale
from digest.models import ArticlePage, Topic
from tests.browser.conftest import FAILED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_contract"
SERVER = CONTRACT / "starter" / "dist" / "server.js"
FIXTURE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "demo_content"
WEEK = json.loads((FIXTURE_CONTENT / "weeks" / "2023-09-11.json").read_text(encoding="utf-8"))
STARTUP_SECONDS = 30

WEEK_TITLES = {
    "en": "September 11 – September 17, 2023",
    "be": "11–17 верасня 2023",
    "ru": "11–17 сентября 2023",
}
OLDER_WEEK_TITLES = {
    "en": "September 4 – September 10, 2023",
    "be": "4–10 верасня 2023",
    "ru": "4–10 сентября 2023",
}
HOMES = {"en": "/", "be": "/be/", "ru": "/ru/"}
NOT_FOUND = {"en": "Page not found", "be": "Старонка не знойдзена", "ru": "Страница не найдена"}
WEST, SECURITY = "belarus-west-relations", "security-issues"
FIXTURE_BLOCKS = {"paragraph", "heading", "quote", "key_figures", "table"}
EVERY_BLOCK = FIXTURE_BLOCKS | {"image", "embed"}
VIDEO = "https://www.youtube.com/watch?v=starter-test"


def fixture_article(topic: str) -> dict:
    return next(article for article in WEEK["articles"] if article["topic"] == topic)


@pytest.fixture(scope="session")
def starter_build():
    """The starter's server, bundled from TypeScript with the project's npm tooling."""
    if not (CONTRACT / "node_modules").exists() or not shutil.which("node"):
        message = "install Node 20+ and run `npm ci` in frontend_contract/ (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    subprocess.run(
        [shutil.which("npm") or "npm", "run", "--silent", "build"], cwd=CONTRACT, check=True
    )
    return SERVER


@pytest.fixture(scope="module")
def starter_origin(starter_build, live_server):
    """The starter frontend on a free port, reading the live server's API, one archive item per
    page (so two weeks paginate). Its first line on stdout names its address."""
    process = subprocess.Popen(
        [
            shutil.which("node") or "node",
            str(starter_build),
            "--api",
            live_server.url,
            "--listen",
            "http://127.0.0.1:0",
            "--page-size",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([process.stdout], [], [], STARTUP_SECONDS)
    line = process.stdout.readline() if ready else ""
    if "Starter frontend on " not in line:
        process.kill()
        pytest.fail(f"the starter did not start: {line!r} {process.communicate()[1]}")
    origin = line.split("Starter frontend on ", 1)[1].split("/ ", 1)[0]
    yield origin
    process.terminate()
    process.wait(timeout=STARTUP_SECONDS)


@pytest.fixture
def demo():
    """The demo weeks 2023-09-04 and 2023-09-11 (two articles each, one without Belarusian)."""
    DemoLoader(FIXTURE_CONTENT).load()


@pytest.fixture
def site(starter_origin, live_server, settings, chromium, artifacts, request):
    """A browser session on the starter, with the CMS linking to it as its FRONTEND_BASE_URL.
    A failing test's last screen lands in test-artifacts/."""
    settings.FRONTEND_BASE_URL = starter_origin
    settings.WAGTAILAPI_BASE_URL = live_server.url  # renditions: the browser loads them there
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        **settings.WAGTAIL_HEADLESS_PREVIEW,
        "CLIENT_URLS": {"default": f"{starter_origin}/preview"},
        "SERVE_BASE_URL": starter_origin,
    }
    context = chromium.new_context(base_url=starter_origin)
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    if request.node.stash.get(FAILED, False):
        page.screenshot(path=artifacts / f"failure-{request.node.name}.png", full_page=True)
    context.close()


def path_of(page) -> str:
    return urlsplit(page.url).path


def english_article(topic: str) -> ArticlePage:
    return ArticlePage.objects.get(
        topic__slug=topic, locale__language_code="en", week_start="2023-09-11"
    )


def add_image_and_embed(article: ArticlePage, editor) -> None:
    """Publishes the article with an image and an embed block too: the demo has neither."""
    Embed.objects.create(
        url=VIDEO,
        max_width=None,
        hash=hashlib.md5(VIDEO.encode()).hexdigest(),
        type="video",
        html='<iframe src="https://www.youtube.com/embed/starter-test" title="Briefing"></iframe>',
        title="Briefing",
        provider_name="YouTube",
        width=480,
        height=270,
    )
    raw = [dict(block) for block in article.body.raw_data]
    raw += [
        {
            "type": "image",
            "value": {"image": article.photo_id, "caption": "The checkpoint at Silene"},
            "id": str(uuid.uuid4()),
        },
        {
            "type": "embed",
            "value": {"embed": VIDEO, "caption": "The ministry's briefing"},
            "id": str(uuid.uuid4()),
        },
    ]
    article.body = StreamValue(article.body.stream_block, raw, is_lazy=True)
    article.save_revision(user=editor).publish(user=editor)


def blocks_on(page) -> set[str]:
    return set(
        page.locator(".article .body [data-block]").evaluate_all(
            "nodes => nodes.map(node => node.dataset.block)"
        )
    )


NEXT_LANGUAGE = {"en": "ru", "be": "en", "ru": "be"}


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_a_reader_goes_from_home_to_a_week_an_article_and_its_topic_and_switches_language(
    language, demo, site, admin_user, starter_origin, artifacts
):
    add_image_and_embed(english_article(WEST), admin_user)
    west = fixture_article(WEST)

    response = site.goto(HOMES[language])
    assert response.status == 200
    assert site.get_attribute("html", "lang") == language
    assert site.inner_text(".latest-week .week-title") == WEEK_TITLES[language]
    assert site.locator(".latest-week .article-summary").count() == 2

    site.click(".latest-week .week-title")
    assert site.inner_text("h1.week-title").startswith(WEEK_TITLES[language])
    assert path_of(site).endswith("/2023-09-11/")
    summaries = site.locator(".week .article-summary")
    assert summaries.count() == 2

    topic = Topic.objects.get(slug=WEST, locale__language_code=language)
    summaries.filter(has_text=topic.name).locator("h3 a").click()
    assert site.inner_text(".article-title") == west[language]["title"]
    site.screenshot(path=artifacts / f"starter-article-{language}.png", full_page=True)
    # The photo (and, in English, the image block) load from the CMS's renditions.
    widths = site.locator(".article img").evaluate_all(
        "images => Promise.all(images.map(image => image.decode().then(() => image.naturalWidth)))"
    )
    assert len(widths) == (2 if language == "en" else 1)
    assert all(width > 0 for width in widths)
    assert site.inner_text(".article .kicker .topic") == topic.name
    assert site.locator(".article .fallback-badge").count() == 0
    # The image and embed are the English article's own; the demo's translations have the rest.
    assert blocks_on(site) == (EVERY_BLOCK if language == "en" else FIXTURE_BLOCKS)
    assert "linktype" not in site.inner_html(".article")
    # An internal link in rich text leads to the starter, in the reader's language.
    internal = site.locator(".article .block-paragraph a").first.get_attribute("href")
    assert internal.startswith(f"{starter_origin}{HOMES[language]}")
    article_path = path_of(site)

    target = NEXT_LANGUAGE[language]
    switch = site.locator(f".language-switch [data-locale='{target}']")
    assert switch.get_attribute("data-status") == "live"
    switch.click()
    assert site.get_attribute("html", "lang") == target
    assert site.inner_text(".article-title") == west[target]["title"]
    translation = english_article(WEST).get_translation(locale(target))
    assert path_of(site) == frontend_path(translation.url_path, target)
    assert path_of(site).startswith(HOMES[target])
    site.locator(f".language-switch [data-locale='{language}']").click()
    assert path_of(site) == article_path

    site.click(".article .kicker .topic")
    assert path_of(site) == f"{HOMES[language]}topics/{WEST}/"
    assert site.inner_text(".topic-archive h1") == topic.name
    titles = site.locator(".topic-archive .article-summary h3").all_inner_texts()
    assert west[language]["title"] in titles
    assert site.locator(".topic-archive .article-summary").count() == 1  # one per page


def test_the_archive_lists_the_weeks_newest_first_one_page_at_a_time(demo, site):
    for language in ("en", "be", "ru"):
        site.goto(HOMES[language])
        site.click(".site-nav .archive-link")
        assert site.locator(".archive .week-summary h2 a").all_inner_texts() == [
            WEEK_TITLES[language]
        ]
        site.click(".pagination a[rel=next]")
        assert urlsplit(site.url).query == "page=2"
        assert site.locator(".archive .week-summary h2 a").all_inner_texts() == [
            OLDER_WEEK_TITLES[language]
        ]
        assert site.locator(".pagination a[rel=next]").count() == 0
        assert site.goto(f"{path_of(site)}?page=3").status == 404


def test_the_belarusian_edition_shows_the_russian_article_marked_in_russian(demo, site):
    """The security article has no Belarusian text: the BE/RU edition serves the Russian one at a
    /be/ path, under Belarusian labels, with a badge; the switch offers Russian and English."""
    security = fixture_article(SECURITY)
    site.goto("/be/")
    site.click(".latest-week .week-title")
    summary = site.locator(".week .article-summary", has_text=security["ru"]["title"])
    assert summary.get_attribute("lang") == "ru"
    assert summary.locator(".fallback-badge").count() == 1
    assert summary.locator(".fallback-badge").inner_text() == "Па-руску"
    assert site.locator(".week .fallback-badge").count() == 1

    summary.locator("h3 a").click()
    assert path_of(site).startswith("/be/")
    assert site.get_attribute("html", "lang") == "be"
    assert site.get_attribute(".article", "lang") == "ru"
    assert site.inner_text(".article-title") == security["ru"]["title"]
    assert site.inner_text(".article .fallback-badge") == "Па-руску"
    assert "па-руску" in site.inner_text(".article .fallback-note")
    assert (
        site.inner_text(".article .kicker .topic")
        == Topic.objects.get(slug=SECURITY, locale__language_code="be").name
    )
    assert site.get_attribute(".language-switch [data-locale='be']", "data-status") == "current"

    site.click(".language-switch [data-locale='ru']")
    assert path_of(site).startswith("/ru/")
    assert site.locator(".article .fallback-badge").count() == 0
    site.click(".language-switch [data-locale='en']")
    assert site.inner_text(".article-title") == security["en"]["title"]
    # From English, Belarusian readers are sent to their edition's Russian text.
    belarusian = site.locator(".language-switch [data-locale='be']")
    assert belarusian.get_attribute("data-status") == "borrowed"
    belarusian.click()
    assert path_of(site).startswith("/be/")
    assert site.inner_text(".article .fallback-badge") == "Па-руску"


def test_the_preview_button_shows_the_unpublished_draft_as_readers_will_see_it(
    demo, site, admin_user, starter_origin
):
    article = english_article(WEST)
    live_title = article.title
    draft = article.get_latest_revision_as_object()
    draft.title = "Minsk rethinks its neighbours (draft)"
    draft.save_revision(user=admin_user)
    editor = Client()
    editor.force_login(admin_user)

    redirect = editor.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk]))

    assert redirect.status_code == 302
    assert redirect.url.startswith(f"{starter_origin}/preview?content_type=digest.articlepage&")
    response = site.goto(redirect.url)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert site.locator(".preview-banner").is_visible()
    assert site.inner_text(".article-title") == "Minsk rethinks its neighbours (draft)"
    assert blocks_on(site) == FIXTURE_BLOCKS
    # Readers still get the live version.
    site.goto(urlsplit(article.full_url).path)
    assert site.inner_text(".article-title") == live_title
    assert site.locator(".preview-banner").count() == 0

    refused = site.goto("/preview?content_type=digest.articlepage&token=forged")
    assert refused.status == 404
    assert site.get_attribute(".preview-refused", "data-code") == "invalid"


def test_an_unknown_path_is_a_404_page_in_its_language(demo, site):
    for language in ("en", "be", "ru"):
        response = site.goto(f"{HOMES[language]}situation-in-nowhere/")
        assert response.status == 404
        assert site.get_attribute("html", "lang") == language
        assert site.inner_text("main h1") == NOT_FOUND[language]
        assert site.locator(".language-switch a[data-locale]").count() == 2


def test_a_static_build_renders_again_only_what_the_change_feed_names(
    demo, starter_build, live_server
):
    """The SDK's planRebuild against the live CMS (starter/rebuild.ts): after one English article
    is corrected, the build renders that article in its languages and the pages listing it —
    not the week's other article — and a second ask finds nothing new."""

    def ask(*arguments) -> dict:
        finished = subprocess.run(
            [
                shutil.which("node") or "node",
                str(starter_build.parent / "rebuild.js"),
                "--api",
                live_server.url,
                *arguments,
            ],
            capture_output=True,
            text=True,
            timeout=STARTUP_SECONDS,
            check=True,
        )
        return json.loads(finished.stdout)

    cursor = ask()["cursor"]
    corrected, untouched = english_article(WEST), english_article(SECURITY)
    corrected.title = "Friendship offered, arrest warrant sought (corrected)"
    corrected.save_revision().publish()

    plan = ask("--since", cursor)
    assert plan["kind"] == "changes"
    [change] = plan["changes"]
    assert (change["page_id"], change["action"]) == (corrected.id, "updated")
    english = frontend_path(corrected.url_path, "en")
    week = english.rsplit("/", 2)[0] + "/"
    assert {english, week, "/situation-in-belarus/", "/"} <= set(plan["rebuild"])
    assert all(path in plan["rebuild"] for path in change["paths"].values() if path)
    assert frontend_path(untouched.url_path, "en") not in plan["rebuild"]
    assert plan["remove"] == []

    again = ask("--since", plan["cursor"])
    assert (again["changes"], again["rebuild"], again["cursor"]) == ([], [], plan["cursor"])
