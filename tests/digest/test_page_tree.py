"""What may be created where: the archive → week → article tree of each locale."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from digest.models import ArticlePage, ReportIndexPage, ReportPage
from home.models import HomePage


class TestPageTree(WagtailPageTestCase):
    def test_home_pages_sit_at_the_root_and_hold_only_the_archive(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {ReportIndexPage})

    def test_the_archive_lives_under_a_home_page_and_holds_weeks(self):
        self.assertAllowedParentPageTypes(ReportIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ReportIndexPage, {ReportPage})

    def test_weeks_hold_articles_only(self):
        self.assertAllowedParentPageTypes(ReportPage, {ReportIndexPage})
        self.assertAllowedSubpageTypes(ReportPage, {ArticlePage})

    def test_articles_live_only_in_a_week_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ArticlePage, {ReportPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_each_home_page_has_a_single_archive(self):
        self.assertEqual(ReportIndexPage.max_count_per_parent, 1)
        english_home = HomePage.objects.get(locale__language_code="en")
        self.assertFalse(ReportIndexPage.can_create_at(english_home))
