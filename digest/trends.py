"""The trend indicator: how the situation in a topic moved during a week."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trend(models.TextChoices):
    # The English labels are the publication's exact wording; BE/RU come from gettext catalogues.
    IMPROVED = "improved", _("The situation has gotten better")
    UNCHANGED = "unchanged", _("The situation has not changed")
    WORSENED = "worsened", _("The situation got worse")

    @property
    def direction(self) -> int:
        """+1 for better, 0 for unchanged, -1 for worse (what charts and colours key on)."""
        return {"improved": 1, "unchanged": 0, "worsened": -1}[self.value]
