"""Unsafe links and foreign embeds are refused when saving; HTML leaves the API sanitized."""

import html
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks import RawHTMLBlock, StructBlockValidationError
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import rich_text

from digest.blocks import ArticleBodyBlock, CaptionedEmbedBlock, ParagraphBlock
from digest.content_safety import embed_provider_name, sanitize_embed_html, sanitize_html
from digest.factories import ArticlePageFactory, CreditedImageFactory
from tests.hardening.admin_forms import submit_article_body

UNSAFE_LINKS = [
    "javascript:alert(document.cookie)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("href", UNSAFE_LINKS)
def test_a_paragraph_linking_to_a_script_or_data_url_is_refused_with_the_reason(href):
    paragraph = ParagraphBlock(features=["link"])

    with pytest.raises(ValidationError) as refused:
        paragraph.clean(RichText(f'<p>See <a href="{href}">the statement</a>.</p>'))

    message = " ".join(refused.value.messages)
    assert "is not allowed" in message
    assert "Links must be http://, https:// or mailto: addresses." in message


@pytest.mark.parametrize(
    "href", ["https://president.gov.by/", "http://kremlin.ru/", "mailto:desk@example.org", "/"]
)
def test_ordinary_links_in_a_paragraph_are_accepted(href):
    paragraph = ParagraphBlock(features=["link"])
    html = f'<p>See <a href="{href}">the statement</a>.</p>'

    assert paragraph.clean(RichText(html)).source == html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
    ],
)
def test_a_script_link_typed_into_the_editor_is_refused_with_a_message(admin_client, href):
    article = ArticlePageFactory()
    revision = article.latest_revision_id
    link = f'<p><a href="{html.escape(href)}">Read the statement</a></p>'

    response = submit_article_body(admin_client, article, [("paragraph", rich_text(link))])

    assert response.status_code == 200  # the editor stays on the form, with the message
    assert "which is not allowed" in response.content.decode()
    article.refresh_from_db()
    assert article.latest_revision_id == revision  # nothing saved, as draft or live
    assert "Read the statement" not in json.dumps(list(article.body.raw_data))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>1</script>"])
def test_the_link_chooser_refuses_script_and_data_urls(admin_client, url):
    response = admin_client.post(
        reverse("wagtailadmin_choose_page_external_link"),
        {"external-link-chooser-url": url},
    )

    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "external_link"
    assert "Enter a valid URL." in json.loads(response.content)["html"]


@pytest.mark.django_db
def test_a_photo_source_url_must_be_a_web_address(admin_client):
    image = CreditedImageFactory()

    response = admin_client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": image.title, "source_url": "javascript:alert(1)", "credit": ""},
    )

    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()
    image.refresh_from_db()
    assert image.source_url == "http://kremlin.ru/"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://vimeo.com/76979871",
        "https://x.com/franakviacorka/status/1701523226127941933",
        "https://twitter.com/franakviacorka/status/1701523226127941933",
        "https://www.facebook.com/belsat/videos/1234567890/",
        "https://www.instagram.com/p/CxS3PzUL8Ab/",
        "https://soundcloud.com/belsat/podcast-episode",
    ],
)
def test_embeds_from_the_allow_listed_providers_pass_the_provider_check(url):
    assert embed_provider_name(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/watch?v=1",
        "https://www.youtube.com.evil.example/watch?v=1",
        "https://www.dailymotion.com/video/x7tgad0",
    ],
)
def test_an_embed_from_another_site_is_refused_naming_the_allowed_providers(url):
    embed_block = CaptionedEmbedBlock()

    with pytest.raises(StructBlockValidationError) as refused:
        embed_block.clean(embed_block.to_python({"embed": url, "caption": ""}))

    message = " ".join(refused.value.block_errors["embed"].messages)
    assert message == (
        "Embeds are only allowed from YouTube, Vimeo, X (Twitter), Facebook, Instagram, "
        "SoundCloud. Link to other sites from the text instead."
    )


@pytest.mark.django_db
def test_the_article_editor_refuses_an_embed_from_another_site(admin_client):
    article = ArticlePageFactory()

    response = submit_article_body(
        admin_client, article, [("embed", {"embed": "https://evil.example/v/1", "caption": ""})]
    )

    assert response.status_code == 200
    assert "Embeds are only allowed from YouTube" in response.content.decode()
    article.refresh_from_db()
    assert "evil.example" not in json.dumps(list(article.body.raw_data))


def test_sanitized_rich_text_keeps_our_formatting_and_drops_everything_else():
    dirty = (
        '<p class="x" onclick="steal()">A <b>bold</b>, <i>italic</i> and <strong>strong</strong> '
        '<a href="https://president.gov.by/" target="_blank" onmouseover="x()">link</a>'
        "<sup>1</sup><sub>2</sub><br></p>"
        "<h2>Heading</h2><h3>Sub</h3><ul><li>one</li></ul><ol><li>two</li></ol>"
        '<script>alert(1)</script><style>p{}</style><img src="x" onerror="alert(1)">'
        '<iframe src="https://evil.example"></iframe><!-- comment -->'
    )

    assert sanitize_html(dirty) == (
        "<p>A <b>bold</b>, <i>italic</i> and <strong>strong</strong> "
        '<a href="https://president.gov.by/" rel="noopener noreferrer">link</a>'
        "<sup>1</sup><sub>2</sub><br></p>"
        "<h2>Heading</h2><h3>Sub</h3><ul><li>one</li></ul><ol><li>two</li></ol>"
    )


@pytest.mark.parametrize("href", UNSAFE_LINKS)
def test_sanitized_rich_text_keeps_the_link_text_but_not_an_unsafe_target(href):
    assert sanitize_html(f'<p><a href="{href}">statement</a></p>') == (
        '<p><a rel="noopener noreferrer">statement</a></p>'
    )


def test_sanitized_embed_html_keeps_provider_iframes_and_placeholders_without_scripts():
    youtube = (
        '<iframe width="200" height="113" src="https://www.youtube.com/embed/dQw4w9WgXcQ" '
        'frameborder="0" allowfullscreen onload="steal()"></iframe>'
    )
    tweet = (
        '<blockquote class="twitter-tweet" data-dnt="true"><p lang="en">Words</p>'
        '<a href="https://twitter.com/x/status/1">September 13, 2023</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
    )

    assert sanitize_embed_html(youtube) == (
        '<iframe width="200" height="113" src="https://www.youtube.com/embed/dQw4w9WgXcQ" '
        'frameborder="0" allowfullscreen=""></iframe>'
    )
    assert sanitize_embed_html(tweet) == (
        '<blockquote class="twitter-tweet" data-dnt="true"><p lang="en">Words</p>'
        '<a href="https://twitter.com/x/status/1" rel="noopener noreferrer">'
        "September 13, 2023</a></blockquote>"
    )


# Where Python's urllib and browsers (the WHATWG URL Standard) disagree about the host, or where
# a URL hides its host: each names www.youtube.com to a naive check but loads elsewhere, or
# carries what no honest embed needs.
DECEPTIVE_FRAME_SOURCES = [
    "https://evil.example\\@www.youtube.com/embed/x",
    "https://evil.example\\.www.youtube.com/embed/x",
    "https://user:secret@www.youtube.com/embed/x",
    "https://www.youtube.com@evil.example/embed/x",
    "https://www.youtube.com%2eevil.example/embed/x",
    "https://www.you\ttube.com/embed/x",
    "https://www.youtube.com\x00.evil.example/embed/x",
    "http://www.youtube.com/embed/x",
    "//evil.example/embed/x",
    "/embed/x",
    "javascript://www.youtube.com/%0aalert(1)",
    "https://[::1/embed/x",
]


@pytest.mark.parametrize("src", DECEPTIVE_FRAME_SOURCES)
def test_an_iframe_whose_host_a_browser_reads_differently_is_dropped(src):
    html = f'<iframe src="{src}"></iframe>'

    assert "src" not in sanitize_embed_html(html)


@pytest.mark.parametrize(
    "src, served",
    [
        ("https://www.youtube.com/embed/x", "https://www.youtube.com/embed/x"),
        ("//www.youtube.com/embed/x", "https://www.youtube.com/embed/x"),
        ("https://WWW.YouTube.com/embed/x?a=1", "https://www.youtube.com/embed/x?a=1"),
    ],
)
def test_a_provider_iframe_is_served_as_the_browser_will_load_it(src, served):
    assert sanitize_embed_html(f'<iframe src="{src}"></iframe>') == (
        f'<iframe src="{served.replace("&", "&amp;")}"></iframe>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com\\@evil.example/watch?v=1",
        "https://user:secret@www.youtube.com/watch?v=1",
        "https://www.youtube.com/watch?v=1\\",
    ],
)
def test_an_embed_url_that_hides_its_host_has_no_provider(url):
    assert embed_provider_name(url) is None


def test_sanitized_embed_html_drops_iframes_from_other_sites():
    html = '<iframe src="https://evil.example/player"></iframe><img src="javascript:alert(1)">'

    assert "evil.example" not in sanitize_embed_html(html)
    assert "javascript:" not in sanitize_embed_html(html)


@pytest.mark.django_db
def test_the_api_never_serves_a_script_stored_in_an_article(client):
    """Content that bypassed the editor (an import, an old revision) is still served safe."""
    article = ArticlePageFactory(
        body=[
            {
                "type": "paragraph",
                "value": '<p><a href="javascript:alert(1)">x</a><script>alert(2)</script>'
                '<img src="x" onerror="alert(3)"></p>',
            }
        ]
    )

    response = client.get(f"/api/v2/pages/{article.pk}/")

    assert response.status_code == 200
    served = response.content.decode()
    assert "javascript:" not in served
    assert "<script" not in served
    assert "onerror" not in served


def test_the_article_body_offers_no_raw_html_block():
    assert not any(
        isinstance(block, RawHTMLBlock) for block in ArticleBodyBlock().child_blocks.values()
    )
