"""Keeps denormalized copies in step when pages move."""

from django.dispatch import receiver
from wagtail.signals import post_page_move

from digest.models import ArticlePage, ReportPage


@receiver(post_page_move)
def keep_article_week_in_step(sender, instance, parent_page_after, **kwargs):
    if not issubclass(sender, ArticlePage):
        return
    new_report = parent_page_after.specific_deferred
    if isinstance(new_report, ReportPage):
        ArticlePage.objects.filter(pk=instance.pk).update(week_start=new_report.week_start)
