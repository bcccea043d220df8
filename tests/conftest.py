import logging
from pathlib import Path

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


API_PACKAGE = Path(__file__).resolve().parent / "api"


def pytest_itemcollected(item):
    """For parallel runs (`make test`, pytest-xdist's loadgroup): a module's tests run on one
    worker, so what the module builds once is built once; the API package's modules all share
    one worker, since they share one load of the demo archive (tests/api/conftest.py)."""
    path = item.path.resolve()
    group = "tests/api" if API_PACKAGE in path.parents else item.nodeid.split("::")[0]
    item.add_marker(pytest.mark.xdist_group(group))


# The groups that take longest (a minute or more of one worker's time: they build a demo
# database or run real processes), handed out first so that no worker is left with one of them
# at the end while the other waits. Measured with `pytest --durations=0`.
LONGEST_FIRST = (
    "tests/hardening/test_fuzzing.py",
    "tests/api",
    "tests/hardening/test_deployment.py",
    "tests/browser/test_weekly_cycle.py",
)


def pytest_collection_modifyitems(config, items):
    """A group's tests one after another: pytest-django (whose hook runs first) moves tests
    without a database behind the others, which would split a group and so tear down and
    rebuild what it shares. The longest groups go first (LONGEST_FIRST)."""
    first = {group: position for position, group in enumerate(LONGEST_FIRST)}
    for item in items:
        first.setdefault(group_of(item), len(first))
    items.sort(key=lambda item: first[group_of(item)])


def group_of(item) -> str:
    return item.get_closest_marker("xdist_group").args[0]
