"""Control characters never get into stored text, and a feed never fails as a whole.

The rule is core.text; core.signal_handlers applies it to every text field of every model
before it is saved. The class test below walks every model Django knows, so a new model or
field is covered without a new test.
"""

import xml.etree.ElementTree as ET

import pytest
from django.apps import apps
from django.db import models
from wagtail.fields import StreamField

from core import text
from core.signal_handlers import clean_stored_text
from digest.api.feeds import ArticlesFeed
from digest.factories import ArticlePageFactory, english_week
from digest.factories import topic as digest_topic
from digest.models import ArticlePage

CONTROLS = [chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]] + [
    "\u2028",
    "\u2029",
    "\ufffe",
    "\uffff",
    "\ud800",
]
DIRTY = "Minsk" + "".join(CONTROLS) + "calls"


def has_control(value: str, *, single_line: bool) -> bool:
    allowed = set() if single_line else {"\n", "\t"}
    return any(character in CONTROLS and character not in allowed for character in value)


@pytest.mark.parametrize("character", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_no_control_character_survives_the_rule(character):
    value = f"Minsk{character}calls"

    assert not has_control(text.clean(value, single_line=True), single_line=True)
    assert not has_control(text.clean(value), single_line=False)


def test_line_breaks_of_every_kind_become_one_line_or_a_newline():
    breaks = "a\r\nb\rc\x0bd\x0ce\x85f\u2028g\u2029h"

    assert text.clean(breaks, single_line=True) == "a b c d e f g h"
    assert text.clean(breaks) == "a\nb\nc\nd\ne\nf\ng\nh"
    assert text.clean("Вільнюс — Мінск\tз 1 верасня") == "Вільнюс — Мінск\tз 1 верасня"


def text_fields():
    """(model, field) for every concrete text field of every model."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def test_the_class_covers_the_fields_people_write_in():
    covered = {(model.__name__, field.name) for model, field in text_fields()}

    assert {
        ("ArticlePage", "title"),
        ("ArticlePage", "lead"),
        ("Topic", "name"),
        ("Author", "name"),
        ("CreditedImage", "title"),
        ("StringTranslation", "data"),
        ("Subscriber", "email"),
    } <= covered


@pytest.mark.django_db  # a page's default locale is looked up when it is built
@pytest.mark.parametrize(
    ("model", "field"),
    text_fields(),
    ids=[f"{model._meta.label}.{field.name}" for model, field in text_fields()],
)
def test_every_text_field_of_every_model_is_stored_without_control_characters(model, field):
    instance = model()
    setattr(instance, field.attname, DIRTY)

    clean_stored_text(sender=model, instance=instance)

    stored = getattr(instance, field.attname)
    assert not has_control(stored, single_line=isinstance(field, models.CharField))
    assert stored.startswith("Minsk") and stored.endswith("calls")


def stream_fields():
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, StreamField)
    ]


@pytest.mark.django_db
def test_text_inside_a_stream_field_is_stored_without_control_characters():
    assert stream_fields()
    article = ArticlePageFactory(
        body=[{"type": "paragraph", "value": f"<p>{DIRTY}</p>"}],
        title=f"Title{DIRTY}",
    )

    stored = ArticlePage.objects.get(id=article.id)

    assert not has_control(stored.title, single_line=True)
    assert not has_control(stored.body.raw_data[0]["value"], single_line=False)
    assert not has_control(stored.get_latest_revision().content["title"], single_line=False)


@pytest.mark.django_db
def test_a_title_typed_with_shift_enter_in_the_admin_is_stored_on_one_line(admin_client):
    topic = digest_topic()
    form = {
        "name": "Belarus\x0bWest relations",
        "slug": topic.slug,
        "description": "",
        "sort_order": topic.sort_order,
        "is_active": "on",
    }
    response = admin_client.post(f"/admin/snippets/digest/topic/edit/{topic.pk}/", form)

    topic.refresh_from_db()
    assert response.status_code in (200, 302)
    assert topic.name == "Belarus West relations"


# ---- feeds ------------------------------------------------------------------------------------


@pytest.fixture
def week(db):
    return english_week()


def entry_titles(response) -> list[str]:
    root = ET.fromstring(response.content)
    return [
        element.text
        for element in root.iter()
        if element.tag in ("title", "{http://www.w3.org/2005/Atom}title")
    ]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_feed_stays_valid_xml_with_a_control_character_stored_before_the_rule(client, week, kind):
    _report, west, _security, _analyst = week
    # Written around the ORM's save, as an old row or a raw SQL fix would be.
    ArticlePage.objects.filter(id=west.id).update(title="Minsk\x0bcalls\x01 again")

    response = client.get(f"/api/v2/feeds/en/{kind}/")

    assert response.status_code == 200
    assert "Minsk calls again" in entry_titles(response)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_an_article_that_cannot_be_rendered_is_left_out_and_the_feed_still_answers(
    client, week, kind, monkeypatch
):
    _report, west, security, _analyst = week
    broken = ArticlesFeed.item_author_name

    def author_name(self, article):
        if article.id == west.id:
            raise ValueError("a byline that cannot be read")
        return broken(self, article)

    monkeypatch.setattr(ArticlesFeed, "item_author_name", author_name)

    response = client.get(f"/api/v2/feeds/en/{kind}/")

    assert response.status_code == 200
    titles = entry_titles(response)
    assert security.title in titles
    assert west.title not in titles
