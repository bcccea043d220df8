"""Deployment checks of our own, run by `manage.py check --deploy` beside Django's.

A cache only one process sees is fine for the test run, never for a server: gunicorn's workers,
the task worker and `publish_scheduled` each change content, and each would go on serving its
own copies of what another has unpublished or restricted (core.api_cache), with every rate
limit counted per process. Redis (REDIS_URL) or the database cache is shared by all of them.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.module_loading import import_string

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def check_the_cache_is_shared(app_configs, **kwargs):
    errors = []
    for alias, options in settings.CACHES.items():
        backend = import_string(options["BACKEND"])
        if any(issubclass(backend, import_string(name)) for name in PER_PROCESS_CACHES):
            errors.append(
                Error(
                    f"The {alias!r} cache ({options['BACKEND']}) lives in one process: the "
                    "app server's workers, the task worker and publish_scheduled would each "
                    "serve their own stale copies and count rate limits apart.",
                    hint="Set REDIS_URL, or leave it unset for the database cache "
                    f"(table {settings.DATABASE_CACHE_TABLE!r}, created by migrate).",
                    id="core.E001",
                )
            )
    return errors
