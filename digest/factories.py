"""Factories for tests and benchmarks: readable defaults, everything overridable."""

import datetime

import factory
import wagtail_factories
from wagtail.models import Locale

from digest.models import (
    ArticlePage,
    ArticlePageAuthor,
    Author,
    CreditedImage,
    ReportIndexPage,
    ReportPage,
    Topic,
)
from digest.trends import Trend

FIRST_FACTORY_MONDAY = datetime.date(2031, 1, 6)


def locale(language_code: str = "en") -> Locale:
    return Locale.objects.get(language_code=language_code)


def archive(language_code: str = "en") -> ReportIndexPage:
    """The "Situation in Belarus" archive that every fresh site has in each locale."""
    return ReportIndexPage.objects.get(locale__language_code=language_code)


def topic(slug: str = "belarus-west-relations", language_code: str = "en") -> Topic:
    return Topic.objects.get(slug=slug, locale__language_code=language_code)


class CreditedImageFactory(wagtail_factories.ImageFactory):
    credit = "Photo: kremlin.ru"
    source_url = "http://kremlin.ru/"
    description = "A border checkpoint"

    class Meta:
        model = CreditedImage


class AuthorFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Analyst {n}")
    slug = factory.Sequence(lambda n: f"analyst-{n}")
    role = "Political analyst"
    locale = factory.LazyFunction(locale)

    class Meta:
        model = Author


class ReportPageFactory(wagtail_factories.PageFactory):
    week_start = factory.Sequence(lambda n: FIRST_FACTORY_MONDAY + datetime.timedelta(weeks=n))
    summary = "Neighbours close checkpoints while Minsk talks of friendship."
    parent = factory.LazyFunction(archive)
    title = "(derived from the week)"

    class Meta:
        model = ReportPage


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Minsk courts its neighbours, part {n}")
    lead = "Calls for friendship meet closed checkpoints and a European arrest-warrant debate."
    topic = factory.LazyFunction(topic)
    trend = Trend.UNCHANGED
    photo = factory.SubFactory(CreditedImageFactory)
    parent = factory.SubFactory(ReportPageFactory)
    body = factory.LazyFunction(
        lambda: [
            {
                "type": "paragraph",
                "value": "<p>Latvia may close the Silene checkpoint after 256 attempts.</p>",
            },
            {
                "type": "quote",
                "value": {"quote": "We will close it.", "attribution": "Guntis Pujats"},
            },
        ]
    )

    class Meta:
        model = ArticlePage
        skip_postgeneration_save = True

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        """`authors=[...]` sets the byline in order; by default one new analyst."""
        chosen = extracted if extracted is not None else [AuthorFactory()]
        self.authors = [
            ArticlePageAuthor(author=author, sort_order=position)
            for position, author in enumerate(chosen)
        ]
        if not create:
            return
        if self.get_parent(update=True).live:
            self.save_revision().publish()
        else:
            # An article goes live with its week (core.publishing): under a draft week, a draft.
            self.live = False
            self.save_revision()
            self.save(update_fields=["live"])


def english_week(week_start: datetime.date = datetime.date(2023, 9, 11)):
    """A published English week with two articles by one analyst, as the tests' usual site:
    Belarus–West relations (unchanged) and security (worsened). Returns the report, the two
    articles and the analyst."""
    report = ReportPageFactory(week_start=week_start)
    report.save_revision().publish()
    analyst = AuthorFactory(name="Pavel Siamionau")
    west = ArticlePageFactory(
        parent=report,
        title="Minsk calls for friendship",
        topic=topic("belarus-west-relations"),
        trend=Trend.UNCHANGED,
        authors=[analyst],
    )
    security = ArticlePageFactory(
        parent=report,
        title="Troops on the border",
        topic=topic("security-issues"),
        trend=Trend.WORSENED,
        authors=[analyst],
    )
    return report, west, security, analyst
