"""The weekly cycle in a real browser: from "New week" to a Belarusian article served by the API.

An editor writes, a chief editor approves the article for its week and publishes the English
week, the Belarusian translator translates, syncs and publishes the Belarusian week alone.
"""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from PIL import Image
from playwright.sync_api import expect
from wagtail_headless_preview.models import PagePreview

from digest.desk.publishing import approved_for_week
from digest.factories import (
    ArticlePageFactory,
    AuthorFactory,
    ReportPageFactory,
    locale,
    topic,
)
from digest.models import ArticlePage, Author, ReportPage
from digest.trends import Trend
from tests.translating import translate_strings

# serialized_rollback: other transactional tests empty the database when they finish; this
# restores the migrated site structure (locales, home pages, topics, roles) before the story.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
FRONTEND_PREVIEW = settings.WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]["default"]
LAST_WEEK = datetime.date(2023, 9, 11)
NEW_WEEK = datetime.date(2023, 9, 18)
TITLE = "Minsk courts its neighbours while checkpoints close"
PARAGRAPH = "Latvia may close the Silene checkpoint after 256 attempts to cross."
BELARUSIAN_TITLE = "Мінск заляцаецца да суседзяў, а пункты пропуску зачыняюцца"
BELARUSIAN_TEXTS = [
    BELARUSIAN_TITLE,
    "Заклікі да сяброўства сустракаюць зачыненыя пункты пропуску.",
    "Латвія можа зачыніць пункт пропуску «Сіленэ» пасля 256 спроб перасячы мяжу.",
]
BELARUSIAN_AUTHOR = ("Павел Сямёнаў", "Палітычны аналітык")
BELARUSIAN_LEAD_CORRECTED = (
    "Заклікі да сяброўства сустракаюць пункты пропуску, якія застаюцца зачыненымі."
)


def make_user(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def log_in(page, username):
    # The frontend is not running here: its preview page answers from the test itself.
    page.context.route(f"{FRONTEND_PREVIEW}?*", lambda route: route.fulfill(body="preview"))
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def board_cell(page, topic_name, language_code):
    row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile(topic_name)))
    return row.locator(f'td[data-language="{language_code}"]')


def translate_next_segment(page, text):
    """In wagtail-localize's editor: open the first untranslated text, type, save."""
    page.get_by_role("button", name="Translate", exact=True).first.click()
    page.locator("textarea").first.fill(text)
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator("textarea")).to_have_count(0)


def opens_the_frontend_preview(page, open_preview) -> dict:
    """Opens a preview in a new tab; returns the query the frontend's preview page receives."""
    with page.context.expect_page() as new_tab:
        open_preview()
    tab = new_tab.value
    tab.wait_for_url(f"{FRONTEND_PREVIEW}?*")
    query = parse_qs(urlsplit(tab.url).query)
    tab.close()
    return query


def open_footer_actions(page):
    page.locator("footer .w-dropdown__toggle").click()


@pytest.fixture
def last_week():
    """Last week, published: its bylines carry over and the trend chart has a column."""
    report = ReportPageFactory(week_start=LAST_WEEK)
    report.save_revision().publish()
    analyst = AuthorFactory(name="Pavel Siamionau", slug="pavel-siamionau")
    trends = [Trend.UNCHANGED, Trend.WORSENED, Trend.WORSENED, Trend.UNCHANGED, Trend.IMPROVED]
    slugs = [
        "the-ruling-elite",
        "society-and-political-parties",
        "security-issues",
        "belarus-west-relations",
        "belarus-russia-relations",
    ]
    for slug, trend in zip(slugs, trends, strict=True):
        ArticlePageFactory(parent=report, topic=topic(slug), trend=trend, authors=[analyst])
    return report


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "silene.jpg"
    Image.new("RGB", (800, 500), (70, 110, 150)).save(path, "JPEG")
    return str(path)


def test_a_week_goes_from_new_week_to_a_belarusian_article_in_the_api(
    django_user_model, open_browser, artifacts, last_week, photo
):
    make_user(django_user_model, "editor", "Editors")
    make_user(django_user_model, "chief", "Chief editors")
    make_user(django_user_model, "translator-be", "Translators (BE)")

    # The editor starts next week from the desk and writes the Belarus-West article.
    editor = open_browser()
    log_in(editor, "editor")
    editor.get_by_role("link", name="Week desk").first.click()
    editor.get_by_role("button", name=re.compile("New week")).click()
    expect(editor.locator(".messages")).to_contain_text("Started the week of September 18")
    report = ReportPage.objects.get(week_start=NEW_WEEK, locale=locale("en"))
    west = ArticlePage.objects.child_of(report).get(topic=topic("belarus-west-relations"))

    board_cell(editor, "Belarus-West relations", "en").get_by_role("link", name="Edit").click()
    editor.fill("#id_title", TITLE)
    editor.select_option("#id_trend", Trend.UNCHANGED.value)
    editor.fill("#id_lead", "Calls for friendship meet closed checkpoints.")
    editor.get_by_role("button", name="Choose an image").click()
    chooser = editor.locator(".modal")
    chooser.get_by_role("tab", name="Upload").click()
    chooser.locator('input[type="file"]').set_input_files(photo)
    chooser.get_by_label("Title").fill("Silene checkpoint")
    chooser.get_by_label("Credit").fill("Photo: kremlin.ru")
    chooser.get_by_role("button", name="Upload").click()
    expect(editor.locator("#id_photo-title")).to_have_text("Silene checkpoint")
    editor.locator(".c-sf-add-button").first.click()
    editor.get_by_role("option", name="Paragraph").click()
    paragraph = editor.locator(".public-DraftEditor-content").first
    paragraph.click()
    paragraph.press_sequentially(PARAGRAPH)
    expect(paragraph).to_contain_text(PARAGRAPH)
    # Draftail writes its content to the form field a moment after the last keystroke.
    expect(editor.locator('input[name="body-0-value"]')).to_have_value(re.compile("Silene"))
    # The preview panel loads first; a second preview within the same second would race it for
    # the same preview token.
    with editor.expect_response(lambda response: "in_preview_panel" in response.url):
        editor.get_by_role("button", name="Toggle preview").click()
    preview = opens_the_frontend_preview(
        editor, editor.get_by_role("link", name="Preview in new tab").click
    )
    assert preview["content_type"] == ["digest.articlepage"]
    assert PagePreview.objects.get(token=preview["token"][0]).as_page().title == TITLE
    editor.get_by_role("button", name="Toggle preview").click()
    open_footer_actions(editor)
    editor.get_by_role("button", name="Submit to Author → chief editor").click()
    expect(editor.locator(".messages")).to_contain_text("submitted for moderation")
    west.refresh_from_db()
    assert west.workflow_in_progress

    submitted = west.get_latest_revision_as_object()
    assert submitted.photo.title == "Silene checkpoint"
    assert [block.block_type for block in submitted.body] == ["paragraph"]
    assert PARAGRAPH in submitted.body[0].value.source

    # Meanwhile the desk writes the other four articles.
    for article in ArticlePage.objects.child_of(report).exclude(pk=west.pk):
        draft = article.get_latest_revision_as_object()
        draft.title = f"{draft.topic.name}: the week in brief"
        draft.trend = Trend.UNCHANGED
        draft.lead = "Little moved this week."
        draft.save_revision()

    # The chief editor approves the article for its week: it stays a draft until the week goes
    # live, then the chief editor publishes the whole week.
    chief = open_browser()
    log_in(chief, "chief")
    chief.goto(f"/admin/pages/{west.pk}/edit/")
    approve = chief.get_by_role("button", name="Approve for the week", exact=True).first
    if not approve.is_visible():
        open_footer_actions(chief)
    approve.click()
    expect(chief.locator(".messages")).to_contain_text("has been updated")
    west.refresh_from_db()
    assert not west.live
    assert approved_for_week(west)

    chief.goto(f"/admin/desk/week/{report.pk}/")
    expect(board_cell(chief, "Belarus-West relations", "en")).to_contain_text(
        "approved for the week"
    )
    chief.get_by_role("button", name="Publish the week in English").click()
    expect(chief.locator(".messages")).to_contain_text("Published in English:")
    assert all(page.live for page in ArticlePage.objects.child_of(report))

    # The Belarusian translator sends the week into Belarusian, and only into Belarusian.
    translator = open_browser()
    log_in(translator, "translator-be")
    translator.goto(f"/admin/desk/week/{report.pk}/")
    translator.get_by_role("button", name="Translate the week").click()
    expect(translator.locator(".messages")).to_contain_text("Sent to translation: Belarusian")
    assert not ArticlePage.objects.filter(locale=locale("ru")).exists()

    # They translate the article in wagtail-localize's editor: every text is on the Content
    # tab (the slug follows the title), and the article cannot go live ahead of its week.
    board_cell(translator, "Belarus-West relations", "be").get_by_role(
        "link", name="Translate"
    ).click()
    for text in BELARUSIAN_TEXTS:
        translate_next_segment(translator, text)
    # Every text of the article is translated: none is left to translate.
    expect(translator.get_by_role("button", name="Translate", exact=True)).to_have_count(0)
    preview = opens_the_frontend_preview(
        translator, translator.get_by_role("link", name="Preview", exact=True).click
    )
    draft = PagePreview.objects.get(token=preview["token"][0]).as_page()
    assert (draft.title, draft.locale_id) == (BELARUSIAN_TITLE, locale("be").pk)
    # The byline's author has no Belarusian name yet: the article waits for it, and says so.
    translator.get_by_role("button", name="Publish in Беларуская").click()
    expect(translator.locator(".messages")).to_contain_text(
        "Not translated into Беларуская yet: author “Pavel Siamionau”"
    )
    # The board lists the week's authors to translate; the translator translates the name and
    # role and publishes them, and the readers' byline is Belarusian from then on.
    translator.goto(f"/admin/desk/week/{report.pk}/")
    waiting = translator.locator('tr[data-row="snippets"] td[data-language="be"]')
    expect(waiting).to_contain_text("Pavel Siamionau")
    waiting.get_by_role("link", name="Translate").click()
    for text in BELARUSIAN_AUTHOR:
        translate_next_segment(translator, text)
    translator.get_by_role("button", name="Publish in Беларуская").click()
    expect(translator.locator(".messages")).to_contain_text("Published")
    belarusian_author = Author.objects.get(slug="pavel-siamionau", locale=locale("be"))
    assert (belarusian_author.name, belarusian_author.role) == BELARUSIAN_AUTHOR
    assert not belarusian_author.awaiting_translation
    translator.goto(f"/admin/desk/week/{report.pk}/")
    expect(translator.locator('tr[data-row="snippets"]')).to_have_count(0)

    # Ahead of its week, the article still cannot go live.
    translator.goto(f"/admin/pages/{west.get_translation(locale('be')).pk}/edit/")
    translator.get_by_role("button", name="Publish in Беларуская").click()
    expect(translator.locator(".messages")).to_contain_text("is not live")
    belarusian = west.get_translation(locale("be"))
    assert not belarusian.live

    # The rest of the week is translated meanwhile; the translator publishes the week.
    for page in [report, *ArticlePage.objects.child_of(report).exclude(pk=west.pk)]:
        translate_strings(page, locale("be"), "[be] ")
    translator.goto(f"/admin/desk/week/{report.pk}/")
    translator.get_by_role("button", name="Publish the week in Belarusian").click()
    expect(translator.locator(".messages")).to_contain_text("Published in Belarusian:")
    belarusian.refresh_from_db()
    assert belarusian.live
    assert (belarusian.title, belarusian.lead) == tuple(BELARUSIAN_TEXTS[:2])
    assert belarusian.slug == "minsk-zaljacaecca-da-susedzjau-a-punkty-propusku-zacynjajucca"
    assert not ArticlePage.objects.filter(locale=locale("ru")).exists()

    # The English lead is corrected: the translator syncs, translates the new lead, and
    # publishes again; until then the Belarusian page keeps its Belarusian lead.
    correction = west.get_latest_revision_as_object()
    correction.lead = "Calls for friendship meet checkpoints that stay closed."
    correction.save_revision().publish()
    translator.goto(f"/admin/desk/week/{report.pk}/")
    expect(board_cell(translator, "Belarus-West relations", "be")).to_have_attribute(
        "data-work", "needs_sync"
    )
    translator.get_by_role("button", name="Sync translations with the English").click()
    expect(board_cell(translator, "Belarus-West relations", "be")).to_contain_text(
        "waiting for the translator (1 text)"
    )
    belarusian.refresh_from_db()
    assert belarusian.lead == BELARUSIAN_TEXTS[1]
    board_cell(translator, "Belarus-West relations", "be").get_by_role(
        "link", name="Translate"
    ).click()
    translate_next_segment(translator, BELARUSIAN_LEAD_CORRECTED)
    translator.goto(f"/admin/desk/week/{report.pk}/")
    translator.get_by_role("button", name="Publish the week in Belarusian").click()
    expect(translator.locator(".messages")).to_contain_text("Published in Belarusian:")
    belarusian.refresh_from_db()
    assert belarusian.lead == BELARUSIAN_LEAD_CORRECTED
    expect(board_cell(translator, "Belarus-West relations", "be")).to_have_attribute(
        "data-state", "live"
    )
    translator.screenshot(path=artifacts / "week-board.png", full_page=True)

    # The frontend's API now serves the Belarusian article.
    detail = translator.request.get(f"/api/v2/pages/{belarusian.pk}/")
    assert detail.ok
    assert detail.json()["title"] == BELARUSIAN_TITLE
    listing = translator.request.get("/api/v2/pages/?locale=be&type=digest.ArticlePage")
    assert listing.ok
    assert belarusian.pk in [item["id"] for item in listing.json()["items"]]

    # The chief editor's dashboard charts the new week's trend.
    chief.goto("/admin/")
    chart = chief.locator("svg.desk-trend-chart")
    west_row = chart.locator('g[data-topic="Belarus-West relations"]')
    expect(west_row.locator(f'rect[data-week="{NEW_WEEK.isoformat()}"]')).to_have_attribute(
        "data-trend", Trend.UNCHANGED.value
    )
    chief.locator(".desk-chart").first.screenshot(path=artifacts / "trend-chart.png")
