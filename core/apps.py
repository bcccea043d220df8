from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure shared by every app: it imports none of them (tests/test_layers.py)."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from core import (  # noqa: F401
            checks,  # check --deploy: a shared cache
            signal_handlers,  # visibility, caches, CDN, webhooks
        )
