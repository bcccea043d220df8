"""Per-response state of the API: who is asking, in which language, and everything loaded in bulk.

Serializing a page touches images, linked pages, translations and embeds. Loading them one by
one would cost a query each; instead the representers first *collect* what a response needs,
then `ApiContext.load()` fetches each kind in one query, so query counts stay flat however many
items a listing holds.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from wagtail.embeds.models import Embed
from wagtail.models import Page
from wagtail.rich_text.rewriters import LinkRewriter

from digest.api.images import prefetch_renditions
from digest.localization import fallback_chain
from home.paths import frontend_path, frontend_url
from home.visibility import Visibility

LANGUAGES = tuple(code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES)


def page_link_ids(html: str) -> list[int]:
    matches = LinkRewriter().extract_tags(html).get("page", [])
    ids = []
    for match in matches:
        try:
            ids.append(int(match.attrs.get("id", "")))
        except ValueError:
            continue
    return ids


@dataclass
class ApiContext:
    visibility: Visibility
    language: str
    fallback: bool = False
    request: object = None
    preview: bool = False

    pending_images: list = field(default_factory=list)
    linked_page_ids: set = field(default_factory=set)
    embed_urls: set = field(default_factory=set)
    translation_keys: set = field(default_factory=set)

    link_hrefs: dict = field(default_factory=dict)
    embeds: dict = field(default_factory=dict)
    translations: dict = field(default_factory=dict)
    topics: dict = field(default_factory=dict)

    # ---- what the public may see ---------------------------------------------------------

    def public_pages(self, model=Page):
        return self.visibility.pages(model)

    # ---- collection ----------------------------------------------------------------------

    def collect_rich_text(self, html: str) -> None:
        self.linked_page_ids.update(page_link_ids(html))

    def add_images(self, images) -> None:
        self.pending_images.extend(image for image in images if image is not None)

    def load(self) -> None:
        """Fetch everything collected so far that is not loaded yet."""
        if self.pending_images:
            prefetch_renditions(self.pending_images)
            self.pending_images = []
        missing_links = self.linked_page_ids - self.link_hrefs.keys()
        missing_keys = self.translation_keys - self.translations.keys()
        if missing_links or missing_keys:
            rows = self._load_versions(missing_keys, missing_links)
            for key in missing_keys:
                self.translations[key] = {}
            for page_id, key, language, url_path in rows:
                self.translations.setdefault(key, {})[language] = (
                    page_id,
                    frontend_path(url_path, language),
                )
            if missing_links:
                self.link_hrefs.update(self._resolve_links(missing_links, rows))
        missing_embeds = self.embed_urls - self.embeds.keys()
        if missing_embeds:
            # Only embeds already fetched when the editor saved: the API never calls out.
            self.embeds.update(
                {embed.url: embed for embed in Embed.objects.filter(url__in=missing_embeds)}
            )
            self.embeds.update(dict.fromkeys(missing_embeds - self.embeds.keys()))

    # ---- translations --------------------------------------------------------------------

    def _load_versions(self, keys, linked_ids) -> list:
        """Public versions of the pages with `keys` and of the pages `linked_ids` link to."""
        wanted = Q(translation_key__in=keys) if keys else Q()
        if linked_ids:
            wanted |= Q(
                translation_key__in=Page.objects.filter(id__in=linked_ids).values("translation_key")
            )
        rows = (
            self.public_pages()
            .filter(wanted)
            .values_list("id", "translation_key", "locale__language_code", "url_path")
        )
        return list(rows)

    def translations_of(self, page) -> list[dict]:
        versions = self.translations.get(page.translation_key, {})
        served = page.locale.language_code
        entries = []
        for language in LANGUAGES:
            if language == served:
                continue
            if language in versions:
                page_id, path = versions[language]
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

    def best_version(self, translation_key) -> tuple[int, str, str] | None:
        """(id, language, path) of the version this reader should get, following the chain."""
        versions = self.translations.get(translation_key, {})
        for language in self.chain():
            if language in versions:
                page_id, path = versions[language]
                return page_id, language, path
        return None

    def chain(self) -> tuple[str, ...]:
        return fallback_chain(self.language) if self.fallback else (self.language,)

    # ---- links inside rich text ----------------------------------------------------------

    def _resolve_links(self, page_ids, rows) -> dict:
        """Linked page id → frontend URL in the reader's language (or None if not public).

        A link names one version of a page; the public versions of that page came with `rows`.
        """
        sources = {page_id: key for page_id, key, _language, _path in rows if page_id in page_ids}
        hrefs = {}
        for page_id in page_ids:
            key = sources.get(page_id)
            versions = self.translations.get(key, {}) if key else {}
            # Links follow the reader's language, then the fallback chain, so a Belarusian
            # text links to the Russian version of an untranslated article, not the English.
            chosen = next(
                (versions[lang] for lang in fallback_chain(self.language) if lang in versions),
                None,
            )
            hrefs[page_id] = frontend_url(chosen[1]) if chosen else None
        return hrefs
