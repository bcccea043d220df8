"""Content built once for a module's tests instead of once per test."""

import contextlib

from django.db import transaction
from django.test import TestCase


def shared_content(django_db_blocker, build, *, on_commit=True):
    """For module-scoped fixtures: `build()` once, rolled back after the module; with
    `on_commit`, the on-commit work `build()` caused (indexing, for one) is done at its end.

    Each test still runs in its own transaction inside this one (the `db` fixture), so what a
    test changes is undone before the next. Hand tests fresh instances (read again from the
    database), not the built objects, which a test could change in memory.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            hooks = TestCase.captureOnCommitCallbacks(execute=True)
            with hooks if on_commit else contextlib.nullcontext():
                content = build()
            yield content
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
