"""Admin panels of the desk: the trend chart on the dashboard and on a topic's edit page.

digest.models imports this module (the topic's panel), so the chart and the views, which need
the models, are imported when a panel renders.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component


class TrendChartDashboardPanel(Component):
    name = "trend_chart"
    template_name = "digest/desk/dashboard_trend_chart.html"
    order = 120

    def get_context_data(self, parent_context):
        from digest.desk.trend_chart import trend_chart

        context = super().get_context_data(parent_context)
        context["chart"] = trend_chart()
        return context


class WeekDeskDashboardPanel(Component):
    """The latest weeks and how far each language is, with a way into the week board."""

    name = "week_desk"
    template_name = "digest/desk/dashboard_weeks.html"
    order = 110
    weeks_shown = 3

    def get_context_data(self, parent_context):
        from digest.desk.views import recent_week_statuses

        context = super().get_context_data(parent_context)
        context["statuses"] = recent_week_statuses(self.weeks_shown)
        context["weeks_url"] = reverse("digest_desk:weeks")
        return context


class TranslatorDashboardPanel(Component):
    """A translator's own to-do: the latest weeks that need something in their language."""

    name = "translator_work"
    template_name = "digest/desk/dashboard_translator.html"
    order = 100

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        from digest.desk.notifications import translator_work

        self.work = translator_work(self.user)
        return super().render_html(parent_context) if self.work else ""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["work"] = self.work
        return context


class TopicTrendChartPanel(Panel):
    """A read-only panel on a topic's edit page: that topic's row of the trend chart."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Trend over the last year"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "trend_chart"

    class BoundPanel(Panel.BoundPanel):
        template_name = "digest/desk/topic_trend_chart_panel.html"

        def get_context_data(self, parent_context=None):
            from digest.desk.trend_chart import trend_chart

            context = super().get_context_data(parent_context)
            context["chart"] = trend_chart(topic=self.instance) if self.instance.pk else None
            return context
