"""The root of each locale's page tree, and the page behaviour every public page shares."""

from django.conf import settings
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail_headless_preview.models import HeadlessMixin
from wagtail_localize.fields import SynchronizedField

from core import preview_tokens, publishing, slugs, visibility
from core.paths import locate

# Rich text for short site-wide blurbs: inline emphasis and links only.
BLURB_FEATURES = ["bold", "italic", "link"]


class BasePage(HeadlessMixin, Page):
    """A page whose public home is the decoupled frontend, not this CMS.

    Wagtail builds page URLs from the Site's root URL; a headless CMS must hand out the
    frontend's instead, so `full_url` (and the API's `html_url`) point at FRONTEND_BASE_URL.
    """

    class Meta:
        abstract = True

    # A translated page's slug is derived from its title (core.slugs): never a text to
    # translate. Page types whose slug follows something else (a week's dates) say so.
    slug_follows_title = True
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    def get_url_parts(self, request=None):
        located = locate(self.url_path, self.locale.language_code)
        if located is None:
            return None
        site_id, page_path = located
        return site_id, settings.FRONTEND_BASE_URL, page_path

    def publish(self, revision, user=None, *args, **kwargs):
        """Every publish, by any path, passes the publish gate first (core.publishing)."""
        if not publishing.admit(self, user, revision):
            return None
        with publishing.publishing(self):
            return super().publish(revision, user, *args, **kwargs)

    def save(self, *args, **kwargs):
        publishing.guard_live_write(self, kwargs.get("update_fields"))
        update_fields = kwargs.get("update_fields")
        if self.pk and update_fields is None:
            # The tree's child count is treebeard's to keep: a page object held since before a
            # child was added (a publish deferred to the end of a transaction, say) must not
            # write its old count back.
            fresh = Page.objects.filter(pk=self.pk).values_list("numchild", flat=True).first()
            if fresh is not None:
                self.numchild = fresh
        if slugs.is_managed(self) and (update_fields is None or "slug" in update_fields):
            self.slug = slugs.slug_for(self)
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        # The draft (and its preview) carries the slug the page will be published with.
        if slugs.is_managed(self) and self.path:
            self.slug = slugs.slug_for(self)
        return super().save_revision(*args, **kwargs)

    def publication_refusal(self, revision, user) -> str | None:
        """What this page type itself requires before going live (None: nothing); `user` is
        None when the system publishes."""
        return None

    def serve_preview(self, request, preview_mode):
        # The preview's token names who opened it (core.preview_tokens).
        self.preview_issuer = request.user
        return super().serve_preview(request, preview_mode)

    def create_page_preview(self, issuer=None):
        """A preview revoked as soon as the page, its draft or the issuer's rights change."""
        issuer = issuer or getattr(self, "preview_issuer", None)
        token = self.get_preview_signer().sign(preview_tokens.identifier(self, issuer))
        preview, _ = self.update_page_preview(token)
        return preview

    def serve(self, request, *args, **kwargs):
        """A stray request for a page is sent to the frontend — only for what readers may see
        (Wagtail serves live pages; an expired or other site's page must not be announced)."""
        if not visibility.for_request(request).shows_page(self):
            raise Http404
        return super().serve(request, *args, **kwargs)


class HomePage(BasePage):
    """One per locale: the root of that locale's tree and the home of the site-wide texts."""

    newsletter_title = models.CharField(
        _("newsletter box title"),
        max_length=120,
        default="Subscribe to our newsletter",
    )
    newsletter_text = models.TextField(
        _("newsletter box text"),
        blank=True,
        help_text=_("Shown in the newsletter box next to the subscription form."),
    )
    newsletter_success = models.CharField(
        _("subscription confirmation message"),
        max_length=200,
        default="You have been successfully subscribed",
        help_text=_("Shown after a reader submits the subscription form."),
    )
    about = RichTextField(
        _("about blurb"),
        features=BLURB_FEATURES,
        blank=True,
        help_text=_("A short description of the publication shown around articles."),
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["digest.ReportIndexPage"]

    content_panels = [
        *Page.content_panels,
        FieldPanel("about"),
        MultiFieldPanel(
            [
                FieldPanel("newsletter_title"),
                FieldPanel("newsletter_text"),
                FieldPanel("newsletter_success"),
            ],
            heading=_("Newsletter box"),
        ),
    ]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
