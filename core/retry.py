"""Retrying background work: exponential backoff, and tasks deferred where the queue can.

The newsletter's mail and the outbound webhooks retry the same way; each has its own base delay
(NEWSLETTER_RETRY_BACKOFF_SECONDS, WEBHOOK_RETRY_BACKOFF_SECONDS).
"""

import datetime

from django.utils import timezone


def backoff(base_seconds: float, attempt: int) -> float:
    """The wait before attempt `attempt + 1`: the base, doubled after each failed attempt."""
    return base_seconds * 2 ** (attempt - 1)


def enqueue_after(task, delay_seconds: float, *args):
    """Enqueues `task`, deferred by `delay_seconds` where the backend can defer (the immediate
    backend of the tests cannot, and runs it at once)."""
    if delay_seconds > 0 and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay_seconds))
    return task.enqueue(*args)
