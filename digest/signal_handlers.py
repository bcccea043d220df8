"""Keeps denormalized copies in step when pages move, and renditions ready for the API."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move

from digest.models import ArticlePage, CreditedImage, ReportPage
from digest.tasks import generate_api_renditions


@receiver(post_page_move)
def keep_article_week_in_step(sender, instance, parent_page_after, **kwargs):
    if not issubclass(sender, ArticlePage):
        return
    new_report = parent_page_after.specific_deferred
    if isinstance(new_report, ReportPage):
        ArticlePage.objects.filter(pk=instance.pk).update(week_start=new_report.week_start)


@receiver(post_save, sender=CreditedImage)
def prepare_api_renditions(sender, instance, **kwargs):
    image_id = instance.pk
    transaction.on_commit(lambda: generate_api_renditions.enqueue(image_id))
