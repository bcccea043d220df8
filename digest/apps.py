from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestConfig(AppConfig):
    name = "digest"
    verbose_name = _("Weekly digest")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from digest import signal_handlers  # noqa: F401
