"""Per-response state of the API: who is asking, in which language, and everything loaded in bulk.

Serializing a page touches images, linked pages, translations and embeds. Loading them one by
one would cost a query each; instead the representers first *collect* what a response needs,
then `ApiContext.load()` fetches each kind in one query, so query counts stay flat however many
items a listing holds.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.embeds.models import Embed
from wagtail.models import Page
from wagtail.rich_text.rewriters import LinkRewriter

from core.languages import LANGUAGES, Edition
from core.paths import edition_paths, frontend_path, frontend_url
from core.visibility import Visibility
from digest.api.images import prefetch_renditions


def page_link_ids(html: str) -> list[int]:
    matches = LinkRewriter().extract_tags(html).get("page", [])
    ids = []
    for match in matches:
        try:
            ids.append(int(match.attrs.get("id", "")))
        except ValueError:
            continue
    return ids


@dataclass(frozen=True)
class LinkTarget:
    """Where a link inside rich text leads a reader: the version of the page their edition
    serves (`locale`), at its frontend `path` (None: it has no address readers can open)."""

    id: int
    locale: str
    path: str | None

    @classmethod
    def of(cls, row, path):
        return cls(id=row[0], locale=row[2], path=path)

    @property
    def url(self) -> str | None:
        return frontend_url(self.path)


@dataclass
class ApiContext:
    """`language` is the edition asked for (None: each page in its own language); with
    `fallback`, pages missing in it come from the next languages of its chain (core.languages)."""

    visibility: Visibility
    language: str | None
    fallback: bool = False
    request: object = None
    preview: bool = False
    # Article fields a week's `articles` carry besides their summary (`include`).
    include: frozenset = frozenset()
    # Rich-text paragraphs also as a typed tree (`rich_text_tree`).
    rich_text_tree: bool = False

    pending_images: list = field(default_factory=list)
    linked_page_ids: set = field(default_factory=set)
    embed_urls: set = field(default_factory=set)
    translation_keys: set = field(default_factory=set)
    borrowed: dict = field(default_factory=dict)

    # Linked page id → LinkTarget in the reader's edition (None: not visible).
    link_targets: dict = field(default_factory=dict)
    embeds: dict = field(default_factory=dict)
    translations: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)
    authors: dict = field(default_factory=dict)
    edition_paths: dict = field(default_factory=dict)

    @property
    def edition(self) -> Edition | None:
        return Edition(self.language, self.fallback) if self.language else None

    # ---- what the reader may see ---------------------------------------------------------

    def public_pages(self, model=Page):
        return self.visibility.pages(model)

    def shows_image(self, image) -> bool:
        return self.visibility.shows_media(image)

    # ---- collection ----------------------------------------------------------------------

    def collect_rich_text(self, html: str) -> None:
        self.linked_page_ids.update(page_link_ids(html))

    def add_images(self, images) -> None:
        self.pending_images.extend(image for image in images if self.shows_image(image))

    def is_borrowed(self, page) -> bool:
        """Served in another language than the edition asked for (a fallback)."""
        return bool(self.language) and page.locale.language_code != self.language

    def add_borrowed(self, page) -> None:
        if self.is_borrowed(page):
            self.borrowed[page.id] = (page.id, page.path, page.url_path)

    def load(self) -> None:
        """Fetch everything collected so far that is not loaded yet."""
        if self.pending_images:
            prefetch_renditions(self.pending_images)
            self.pending_images = []
        missing_links = self.linked_page_ids - self.link_targets.keys()
        missing_keys = self.translation_keys - self.translations.keys()
        if missing_links or missing_keys:
            rows = self._load_versions(missing_keys, missing_links)
            for key in missing_keys:
                self.translations[key] = {}
            for page_id, key, language, url_path, _tree_path in rows:
                self.translations.setdefault(key, {})[language] = (
                    page_id,
                    frontend_path(url_path, language),
                )
            if missing_links:
                self.link_targets.update(self._resolve_links(missing_links, rows))
        missing_borrowed = self.borrowed.keys() - self.edition_paths.keys()
        if missing_borrowed:
            found = edition_paths(
                [self.borrowed[page_id] for page_id in missing_borrowed],
                self.language,
                self.public_pages(),
            )
            self.edition_paths.update({page_id: found.get(page_id) for page_id in missing_borrowed})
        missing_embeds = self.embed_urls - self.embeds.keys()
        if missing_embeds:
            # Only embeds already fetched when the editor saved: the API never calls out.
            self.embeds.update(
                {embed.url: embed for embed in Embed.objects.filter(url__in=missing_embeds)}
            )
            self.embeds.update(dict.fromkeys(missing_embeds - self.embeds.keys()))

    # ---- paths and translations ----------------------------------------------------------

    def path_of(self, page) -> str | None:
        """Where the reader finds `page`: in the edition's URL space when it is borrowed."""
        own = frontend_path(page.url_path, page.locale.language_code)
        if self.is_borrowed(page):
            return self.edition_paths.get(page.id) or own
        return own

    def _load_versions(self, keys, linked_ids) -> list:
        """Visible versions of the pages with `keys` and of the pages `linked_ids` link to."""
        wanted = Q(translation_key__in=keys) if keys else Q()
        if linked_ids:
            wanted |= Q(
                translation_key__in=Page.objects.filter(id__in=linked_ids).values("translation_key")
            )
        rows = (
            self.public_pages()
            .filter(wanted)
            .values_list("id", "translation_key", "locale__language_code", "url_path", "path")
        )
        return list(rows)

    def translations_of(self, page) -> list[dict]:
        """The page in each other language than the one the reader reads it in."""
        versions = self.translations.get(page.translation_key, {})
        reading = self.language or page.locale.language_code
        entries = []
        for language in LANGUAGES:
            if language == reading:
                continue
            page_id, path = versions.get(language, (None, None))
            if path is not None:  # a version with no frontend address is no link
                entries.append(
                    {
                        "locale": language,
                        "status": "live",
                        "id": page_id,
                        "path": path,
                        "html_url": frontend_url(path),
                    }
                )
            else:
                entries.append(
                    {
                        "locale": language,
                        "status": "missing",
                        "id": None,
                        "path": None,
                        "html_url": None,
                    }
                )
        return entries

    # ---- links inside rich text ----------------------------------------------------------

    def _resolve_links(self, page_ids, rows) -> dict:
        """Linked page id → its LinkTarget in the reader's edition (or None if not visible).

        A link names one version of a page; the visible versions of that page came with
        `rows`. Links follow the reader's full chain whatever the listing asked, so a
        Belarusian text links to the Russian version of an untranslated article (at its
        `/be/…` path), never to nothing.
        """
        by_id = {row[0]: row for row in rows}
        if not self.language:
            # Each page in its own language: a link leads to the version it names.
            return {
                page_id: LinkTarget.of(
                    by_id[page_id], frontend_path(by_id[page_id][3], by_id[page_id][2])
                )
                if page_id in by_id
                else None
                for page_id in page_ids
            }
        by_key = {}
        for row in rows:
            by_key.setdefault(row[1], []).append(row)
        edition = Edition(self.language, fallback=True)
        keys = dict(Page.objects.filter(id__in=page_ids).values_list("id", "translation_key"))
        chosen = {}
        for page_id in page_ids:
            key = keys.get(page_id)
            best = edition.pick(by_key.get(key, []), key=_row_key, language=_row_language)
            chosen[page_id] = best.get(key)
        borrowed = [
            (row[0], row[4], row[3]) for row in chosen.values() if row and row[2] != self.language
        ]
        placed = edition_paths(borrowed, self.language, self.public_pages()) if borrowed else {}
        return {
            page_id: LinkTarget.of(row, placed.get(row[0]) or frontend_path(row[3], row[2]))
            if row
            else None
            for page_id, row in chosen.items()
        }


def _row_key(row):
    return row[1]


def _row_language(row):
    return row[2]
