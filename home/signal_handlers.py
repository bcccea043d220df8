"""The outbound webhooks hear of every committed change readers can see (core.revalidation)."""

from django.dispatch import receiver

from core.revalidation import content_changed
from home import webhooks


@receiver(content_changed)
def notify_webhooks(sender, payload, **kwargs):
    webhooks.notify(payload)
