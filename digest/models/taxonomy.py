"""Topics and authors: translatable snippets shared by every week."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core.publishing import TranslatedSnippet
from digest.desk.panels import TopicTrendChartPanel


class Topic(TranslatableMixin, RevisionMixin, TranslatedSnippet, index.Indexed, models.Model):
    """One of the publication's fixed topics, e.g. "Belarus-West relations"."""

    name = models.CharField(pgettext_lazy("topic", "name"), max_length=100)
    # The slug is the topic's identity in URLs and API filters: the same in every locale.
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Topics are listed in this order.")
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Archive topics stay on old articles but get no article in new weeks."),
    )

    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        TranslatableField("description"),
        SynchronizedField("sort_order"),
        SynchronizedField("is_active"),
    ]

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
        # Editorial desk: the topic's trend over the last year, read-only.
        TopicTrendChartPanel(),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["locale", "slug"], name="unique_topic_slug_per_locale"),
        ]

    def __str__(self):
        return self.name


class Author(TranslatableMixin, RevisionMixin, TranslatedSnippet, index.Indexed, models.Model):
    """An analyst who writes for the publication; the name is spelled per language."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, allow_unicode=False)
    role = models.CharField(
        _("role"), max_length=200, blank=True, help_text=_("e.g. “Political analyst”")
    )
    bio = models.TextField(_("biography"), blank=True)

    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug"),
        TranslatableField("role"),
        TranslatableField("bio"),
    ]

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("role"), FieldPanel("bio")]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="unique_author_slug_per_locale"
            ),
        ]

    def __str__(self):
        return self.name
