"""The image library's model: every photo carries its credit and where it came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class CreditedImage(AbstractImage):
    # Wagtail's `description` is the alt text; credits usually stay in the original language,
    # so images are shared by every locale rather than translated.
    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Printed under the photo, e.g. “Photo: kremlin.ru”."),
    )
    source_url = models.URLField(
        _("source URL"),
        blank=True,
        help_text=_("Where the photo was taken from, if it is not our own."),
    )

    admin_form_fields = (*Image.admin_form_fields, "credit", "source_url")

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")
        permissions = [("choose_image", "Can choose image")]

    @property
    def alt_text(self) -> str:
        return self.default_alt_text


class CreditedRendition(AbstractRendition):
    image = models.ForeignKey(CreditedImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
