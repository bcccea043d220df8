"""Where each page of a week stands in each language: what the week board shows."""

from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page
from wagtail_localize.models import Translation, TranslationSource

from digest.desk.languages import SOURCE_LANGUAGE, desk_languages, language_name
from digest.desk.publishing import approved_for_week
from digest.desk.translation import english_has_changed, translation_is_behind, week_pages
from digest.models import ArticlePage, ArticlePageAuthor, Author, ReportPage, Topic

MISSING = "missing"
IN_TRANSLATION = "in_translation"
DRAFT = "draft"
SCHEDULED = "scheduled"
LIVE = "live"

# What a translation still needs, besides its publication state.
NEEDS_SYNC = "needs_sync"  # the English changed since translators last received it
WAITING = "waiting"  # texts the translator has not translated yet
STALE = "stale"  # translated, but the page is older than its translation: publish it

WORK_LABELS = {
    NEEDS_SYNC: _("needs sync"),
    WAITING: _("waiting for the translator"),
    STALE: _("stale"),
}

STATE_LABELS = {
    MISSING: _("missing"),
    IN_TRANSLATION: _("in translation"),
    DRAFT: _("draft"),
    SCHEDULED: _("scheduled"),
    LIVE: _("live"),
}


@dataclass
class Cell:
    """One page of the week in one language."""

    language_code: str
    english: Page
    page: Page | None = None
    state: str = MISSING
    work: str | None = None
    untranslated: int = 0
    percent_translated: int | None = None
    in_moderation: bool = False
    approved: bool = False  # approved for its week, waiting for "Publish the week"
    unpublished_changes: bool = False
    go_live_at: object = None
    translation: Translation | None = None
    # Set by the board for the user looking at it: links are only offered where they lead.
    can_edit: bool = False

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def stale(self) -> bool:
        """Anything left to do for the translation (the kind is `work`)."""
        return self.work is not None

    @property
    def work_label(self) -> str:
        if self.work == WAITING:
            return ngettext(
                "waiting for the translator (%(count)s text)",
                "waiting for the translator (%(count)s texts)",
                self.untranslated,
            ) % {"count": self.untranslated}
        return str(WORK_LABELS[self.work]) if self.work else ""

    @property
    def go_live_label(self) -> str:
        return with_time_zone(self.go_live_at) if self.go_live_at else ""

    @property
    def is_source(self) -> bool:
        return self.language_code == SOURCE_LANGUAGE

    @property
    def edit_url(self) -> str | None:
        # wagtail-localize takes over the page editor for pages it translates.
        return reverse("wagtailadmin_pages:edit", args=[self.page.pk]) if self.page else None

    @property
    def preview_url(self) -> str | None:
        """Opens the frontend's preview of the draft (the pages are headless)."""
        if self.page is None:
            return None
        if self.translation is not None:
            # Includes the strings translated so far, before the translator saves the page.
            return reverse("wagtail_localize:preview_translation", args=[self.translation.pk])
        return reverse("wagtailadmin_pages:view_draft", args=[self.page.pk])


@dataclass
class Row:
    english: Page
    cells: list[Cell]

    @property
    def is_report(self) -> bool:
        return isinstance(self.english, ReportPage)

    @property
    def label(self) -> str:
        if isinstance(self.english, ArticlePage):
            return self.english.topic.name
        return str(_("Weekly report"))

    @property
    def title(self) -> str:
        return self.english.draft_title


@dataclass
class Column:
    language_code: str
    name: str
    counts: Counter = field(default_factory=Counter)
    work: Counter = field(default_factory=Counter)
    total: int = 0
    # The week's topics and authors whose copy in this language still awaits its translation.
    waiting_snippets: list = field(default_factory=list)

    @property
    def stale(self) -> int:
        return sum(self.work.values())

    @property
    def all_live(self) -> bool:
        return self.total > 0 and self.counts[LIVE] == self.total and not self.stale

    @property
    def work_summary(self) -> list[tuple[str, str, int]]:
        return [
            (work, WORK_LABELS[work], self.work[work])
            for work in (NEEDS_SYNC, WAITING, STALE)
            if self.work[work]
        ]

    @property
    def summary(self) -> list[tuple[str, str, int]]:
        """(state, label, count) for every state present, in the order of the week's life."""
        order = [LIVE, SCHEDULED, DRAFT, IN_TRANSLATION, MISSING]
        return [
            (state, STATE_LABELS[state], self.counts[state])
            for state in order
            if self.counts[state]
        ]


@dataclass
class WeekStatus:
    report: ReportPage
    rows: list[Row]
    columns: list[Column]

    def column(self, language_code: str) -> Column:
        return next(column for column in self.columns if column.language_code == language_code)

    def pages_in(self, language_code: str) -> list[Page]:
        index = [column.language_code for column in self.columns].index(language_code)
        return [row.cells[index].page for row in self.rows if row.cells[index].page is not None]


def _publication_state(page: Page) -> str:
    if page.live:
        return LIVE
    if page.approved_schedule:
        return SCHEDULED
    return DRAFT


def _cell(language_code: str, english: Page, page: Page | None, source, translations) -> Cell:
    cell = Cell(language_code=language_code, english=english, page=page)
    if page is None:
        return cell
    cell.state = _publication_state(page)
    # "Unpublished changes": a draft newer than what readers have (a rebuilt copy of the live
    # version is not one).
    cell.unpublished_changes = page.live and page.latest_revision_id != page.live_revision_id
    cell.in_moderation = page.workflow_in_progress
    scheduled = page.scheduled_revision
    cell.go_live_at = scheduled.approved_go_live_at if scheduled else None
    if language_code == SOURCE_LANGUAGE:
        cell.approved = approved_for_week(page)
        return cell

    translation = translations.get(page.locale_id)
    if translation is not None:
        cell.translation = translation
        total, done = translation.get_progress()
        cell.percent_translated = 100 if total == 0 else done * 100 // total
        cell.untranslated = total - done
        if cell.untranslated and not page.live:
            cell.state = IN_TRANSLATION
        if english_has_changed(source, english):
            cell.work = NEEDS_SYNC
        elif cell.untranslated:
            cell.work = WAITING
        elif translation_is_behind(translation, page):
            cell.work = STALE
    else:
        # Translated by hand (wagtail-localize not involved): stale if the English was
        # published after the translation was last edited.
        english_published = english.last_published_at
        edited = page.latest_revision_created_at or page.last_published_at
        if english_published and edited and english_published > edited:
            cell.work = STALE
    return cell


def with_time_zone(moment) -> str:
    """A time as the admin shows it, with its zone: schedules are read across borders."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} {local.tzname()}"


def week_status(report: ReportPage) -> WeekStatus:
    languages = desk_languages()
    english_pages = week_pages(report)
    keys = [page.translation_key for page in english_pages]
    pages_by_key = {}
    for page in (
        Page.objects.filter(translation_key__in=keys, locale__language_code__in=languages)
        .select_related("locale")
        .specific()
    ):
        pages_by_key[(page.translation_key, page.locale.language_code)] = page

    sources = {
        source.object_id: source
        for source in TranslationSource.objects.filter(object_id__in=keys, locale=report.locale)
    }
    translations_by_source = {}
    for translation in Translation.objects.filter(source__in=sources.values(), enabled=True):
        translations_by_source.setdefault(translation.source_id, {})[
            translation.target_locale_id
        ] = translation

    columns = [Column(language_code=code, name=language_name(code)) for code in languages]
    rows = []
    for english in english_pages:
        source = sources.get(english.translation_key)
        translations = translations_by_source.get(source.pk, {}) if source else {}
        cells = []
        for column in columns:
            page = pages_by_key.get((english.translation_key, column.language_code))
            cell = _cell(column.language_code, english, page, source, translations)
            cells.append(cell)
            column.total += 1
            column.counts[cell.state] += 1
            if cell.work:
                column.work[cell.work] += 1
        rows.append(Row(english=english, cells=cells))
    waiting = waiting_snippets(english_pages, languages)
    for column in columns:
        column.waiting_snippets = waiting[column.language_code]
    return WeekStatus(report=report, rows=rows, columns=columns)


def waiting_snippets(english_pages, languages) -> dict[str, list]:
    """By language, the week's topics and authors whose copy there still holds the English
    (core.publishing.TranslatedSnippet): its articles wait for them."""
    articles = [page for page in english_pages if isinstance(page, ArticlePage)]
    keys = {
        Topic: {article.topic.translation_key for article in articles},
        Author: set(
            ArticlePageAuthor.objects.filter(page__in=articles).values_list(
                "author__translation_key", flat=True
            )
        ),
    }
    waiting = {code: [] for code in languages}
    for model, translation_keys in keys.items():
        copies = model.objects.filter(
            translation_key__in=translation_keys,
            awaiting_translation=True,
            locale__language_code__in=languages,
        ).select_related("locale")
        for copy in copies:
            waiting[copy.locale.language_code].append(copy)
    return waiting
