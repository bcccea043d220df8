"""API tests run against the demo archive, loaded once for the whole package.

The demo is loaded inside a transaction that is rolled back when the package is done, so other
test packages still start from a fresh site; each test runs in its own nested transaction.
"""

import pytest
from django.db import transaction
from django.test import TestCase, override_settings

from digest.api.images import ALL_SPECS
from digest.demo import DemoLoader
from digest.models import CreditedImage
from tests.api.contract import assert_matches_contract

HELD_BACK_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # wagtail-localize publishes translations on commit; run those callbacks here.
            # Search indexing and rendition tasks are held back: the API needs neither
            # (renditions are made on first use) and running them would triple the load time.
            with (
                override_settings(TASKS=HELD_BACK_TASKS),
                TestCase.captureOnCommitCallbacks(execute=True),
            ):
                DemoLoader().load()
            # What the rendition task does on upload, once for the whole package: otherwise each
            # test would make them again (its transaction rolls them back).
            for image in CreditedImage.objects.all():
                image.get_renditions(*ALL_SPECS)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def api(demo, db, client):
    """GET under /api/v2/ and check the answer against the contract."""

    def get(path, **params):
        response = client.get(f"/api/v2/{path}", params)
        assert_matches_contract(response)
        return response

    return get
