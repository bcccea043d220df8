"""The weekly report tree: archive → week → articles."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, Site, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from core import publishing
from core.visibility import public_collection_ids
from digest import shared_facts
from digest.blocks import ArticleBodyBlock
from digest.trends import Trend
from digest.weeks import format_week, validate_monday, week_end_for
from home.models import BasePage


class ReportIndexPage(BasePage):
    """ "Situation in Belarus": the archive of all weeks in one locale."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["digest.ReportPage"]
    max_count_per_parent = 1

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("report archive")
        verbose_name_plural = _("report archives")

    @classmethod
    def of_publication(cls, locale) -> "ReportIndexPage | None":
        """The publication's archive in `locale`: the one under the default site's home (a
        second Wagtail site may have an archive of its own; the desk is the publication's)."""
        queryset = cls.objects.filter(locale=locale)
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None:
            homes = site.root_page.get_translations(inclusive=True).values_list("path", flat=True)
            in_site = Q()
            for path in homes:
                in_site |= Q(path__startswith=path)
            queryset = queryset.filter(in_site)
        return queryset.order_by("path").first()


class ReportPage(BasePage):
    """One week (Monday to Sunday) of analysis: its title and slug follow from its dates."""

    week_start = models.DateField(
        _("week starting"),
        validators=[validate_monday],
        help_text=_("The Monday the week begins on. The title and the end date follow from it."),
    )
    week_end = models.DateField(_("week ending"), editable=False)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("Optional: the week in two or three sentences.")
    )

    parent_page_types = ["digest.ReportIndexPage"]
    subpage_types = ["digest.ArticlePage"]

    content_panels = [FieldPanel("week_start"), FieldPanel("summary")]
    promote_panels = []

    # The title and slug are derived from the dates in every locale, so translators never
    # see them; the week itself is the same in every language.
    slug_follows_title = False
    override_translatable_fields = [
        SynchronizedField("title"),
        SynchronizedField("slug"),
        SynchronizedField("week_start"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("week_start"),
        index.FilterField("week_end"),
    ]

    class Meta:
        verbose_name = _("weekly report")
        verbose_name_plural = _("weekly reports")

    def derive_fields_from_week(self) -> None:
        if not self.week_start:
            return
        self.week_end = week_end_for(self.week_start)
        self.slug = self.week_start.isoformat()
        if not self.locale_id and self.path:
            self.locale = self.get_default_locale()
        language_code = self.locale.language_code if self.locale_id else settings.LANGUAGE_CODE
        self.title = format_week(self.week_start, language_code)
        self.draft_title = self.title

    def full_clean(self, *args, **kwargs):
        self.derive_fields_from_week()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.derive_fields_from_week()
        super().minimal_clean()

    def save(self, *args, **kwargs):
        self.derive_fields_from_week()
        super().save(*args, **kwargs)
        if self.week_start:
            # Articles keep a copy of their week so listings filter by date without tree joins.
            ArticlePage.objects.child_of(self).exclude(week_start=self.week_start).update(
                week_start=self.week_start
            )

    def clean(self):
        super().clean()
        if not self.week_start:
            return
        clashes = ReportPage.objects.filter(week_start=self.week_start)
        if self.locale_id:
            clashes = clashes.filter(locale_id=self.locale_id)
        if self.pk:
            clashes = clashes.exclude(pk=self.pk)
        if clashes.exists():
            raise ValidationError(
                {
                    "week_start": _(
                        "There is already a report for the week of %(week)s in this language."
                    )
                    % {"week": format_week(self.week_start, "en")}
                }
            )

    def articles(self):
        return ArticlePage.objects.child_of(self)

    def publication_refusal(self, revision, user) -> str | None:
        # A week goes live as a unit, with its approved articles (digest.desk.publishing); once
        # live, a correction of its summary is published like any page.
        if user is None or self.live or publishing.in_unit(self.pk):
            return None
        if revision is not None and revision.approved_go_live_at is not None:
            return None  # scheduled through "Publish the week", going live now
        return _("A week goes live with its articles: use “Publish the week” on the week board.")


def private_image_errors(photo, body) -> dict:
    """What stops an article with these images from going live: readers can never see an image
    of a private collection, so an article may not show one (core.visibility)."""
    public = public_collection_ids()
    errors = {}
    if photo is not None and photo.collection_id not in public:
        errors["photo"] = _(
            "The photo “%(image)s” is in the private collection “%(collection)s”, which readers "
            "cannot see. Move it to a public collection or choose another photo before "
            "publishing."
        ) % {"image": photo.title, "collection": photo.collection.name}
    hidden = [
        block.value["image"]
        for block in body or ()
        if block.block_type == "image"
        and block.value.get("image") is not None
        and block.value["image"].collection_id not in public
    ]
    if hidden:
        errors["body"] = _(
            "The body shows images from a private collection, which readers cannot see: "
            "%(images)s. Move them to a public collection or choose other images before "
            "publishing."
        ) % {"images": ", ".join(f"“{image.title}”" for image in hidden)}
    return errors


class ArticlePageForm(WagtailAdminPageForm):
    """The page editor refuses to publish an article that shows a private image."""

    def clean(self):
        cleaned_data = super().clean()
        if "action-publish" in self.data:
            errors = private_image_errors(cleaned_data.get("photo"), cleaned_data.get("body"))
            for name, message in errors.items():
                self.add_error(name, message)
        return cleaned_data


class ArticlePage(BasePage):
    """One analytical commentary on one topic in one week."""

    base_form_class = ArticlePageForm

    topic = models.ForeignKey(
        "digest.Topic", verbose_name=_("topic"), on_delete=models.PROTECT, related_name="articles"
    )
    trend = models.CharField(
        _("trend"),
        max_length=16,
        choices=Trend.choices,
        blank=True,
        help_text=_("How the situation in this topic moved during the week."),
    )
    lead = models.TextField(
        _("lead"), help_text=_("The opening paragraph, shown in bold and in summaries.")
    )
    photo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    # A copy of the parent report's Monday, kept in step by ReportPage.save() and moves.
    week_start = models.DateField(_("week starting"), editable=False, null=True, db_index=True)

    parent_page_types = ["digest.ReportPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("topic"), FieldPanel("trend"), InlinePanel("authors", min_num=1)],
            heading=_("Topic, trend and byline"),
        ),
        FieldPanel("lead"),
        FieldPanel("photo"),
        FieldPanel("body"),
        InlinePanel("related_articles", heading=_("Related articles"), label=_("related article")),
    ]

    override_translatable_fields = [
        *BasePage.override_translatable_fields,
        TranslatableField("topic"),
        SynchronizedField("trend"),
        # Not overridable: the photo is the English article's in every language (shared_facts).
        SynchronizedField("photo", overridable=False),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("trend"),
        index.FilterField("topic"),
        index.FilterField("week_start"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def take_week_from_report(self) -> None:
        """An article's week is its report's: set on every save, and on a preview's draft (an
        article previewed before it was ever saved has a tree path, hence a report, already)."""
        parent = self.get_parent() if self.path else None
        if parent is not None:
            report = parent.specific_deferred
            if isinstance(report, ReportPage):
                self.week_start = report.week_start

    def save(self, *args, **kwargs):
        self.take_week_from_report()
        shared_facts.take_from_english(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.live and not self.trend:
            raise ValidationError({"trend": _("Choose a trend before publishing.")})
        if self.live:
            errors = private_image_errors(self.photo, self.body)
            if errors:
                raise ValidationError(errors)
        if self.topic_id and self.locale_id and self.topic.locale_id != self.locale_id:
            raise ValidationError({"topic": _("Choose the topic in this article's language.")})

    def publication_refusal(self, revision, user) -> str | None:
        """An article goes live with its week, never ahead of it."""
        # Fresh from the database: the week may have gone live since this object was loaded.
        report = self.get_parent(update=True).specific
        if report.live or publishing.in_unit(report.pk):
            return None
        # Scheduled together: the scheduler publishes the week and its articles in one run.
        scheduled = report.scheduled_revision
        if (
            scheduled is not None
            and revision is not None
            and revision.approved_go_live_at is not None
            and scheduled.approved_go_live_at <= revision.approved_go_live_at
        ):
            return None
        return _(
            "Its week (%(week)s) is not live: an article goes live with its week, through "
            "“Publish the week” on the week board."
        ) % {"week": report.title}

    @property
    def trend_choice(self) -> Trend | None:
        return Trend(self.trend) if self.trend else None


class ArticlePageAuthor(TranslatableMixin, Orderable):
    """The byline, in order. Translatable so a translated article credits the translated Author."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="authors")
    author = models.ForeignKey(
        "digest.Author", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("author")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")


class ArticlePageRelatedArticle(Orderable):
    """An editor's pick for "Read more"; served in the reader's locale when translated."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_articles")
    related = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("related", page_type="digest.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
