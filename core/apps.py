from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Infrastructure shared by every app: it imports none of them (tests/test_layers.py)."""

    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from core import (
            checks,  # noqa: F401  (check --deploy: a shared cache)
            signal_handlers,  # visibility, caches, CDN, webhooks, the change feed
        )

        post_migrate.connect(signal_handlers.seed_change_feed, sender=self)
