import logging

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (Redis in CI is shared by the whole run)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _quiet_task_logs():
    # The immediate task backend logs every search/reference-index task at INFO.
    logging.getLogger("django_tasks").setLevel(logging.WARNING)
