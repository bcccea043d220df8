"""Loads the demo archive from `digest/demo_content/` (see FORMAT.md there).

English pages are created and published as an editor would; the Belarusian and Russian texts are
imported into wagtail-localize as complete, human ("manual") translations and published through it,
so the demo behaves exactly like content translated in the admin. Loading is idempotent: anything
that already exists is left untouched.
"""

import copy
import datetime
import io
import json
import random
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.core.files.images import ImageFile
from django.db import transaction
from django.test import override_settings
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFilter
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from digest.models import (
    ArticlePage,
    ArticlePageAuthor,
    ArticlePageRelatedArticle,
    Author,
    CreditedImage,
    ReportIndexPage,
    ReportPage,
    Topic,
)

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
SOURCE_LANGUAGE = "en"
TRANSLATION_LANGUAGES = ("be", "ru")
# Stable identities, so a second run finds what the first one made.
DEMO_NAMESPACE = uuid.UUID("8f4b7a52-6a1e-4c1c-9a55-2f0d3f1b7c11")
PAGE_LINK = re.compile(r'<a href="page:(\d{4}-\d{2}-\d{2})/([a-z-]+)">')


class DemoContentError(Exception):
    """The demo files are inconsistent (e.g. a translation does not mirror the English)."""


def stable_uuid(*parts) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, ":".join(str(part) for part in parts))


@dataclass
class LoadReport:
    created: dict = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.created.values())


class DemoLoader:
    def __init__(self, content_dir: Path = CONTENT_DIR, progress=None):
        self.content_dir = Path(content_dir)
        # progress(message, steps done, steps in all)
        self.progress = progress or (lambda message, done, total: None)
        self.report = LoadReport()
        self.locales = {}
        self.authors = {}

    # ---- entry point -------------------------------------------------------------------------

    def load(self) -> LoadReport:
        # A translation is first copied with the English slug and then renamed; the demo has
        # no old URLs to keep, so Wagtail's automatic redirects would only be clutter.
        with override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False):
            return self._load()

    def _load(self) -> LoadReport:
        self.locales = {
            code: Locale.objects.get(language_code=code)
            for code in (SOURCE_LANGUAGE, *TRANSLATION_LANGUAGES)
        }
        weeks = [
            json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((self.content_dir / "weeks").glob("*.json"))
        ]
        if not weeks:
            raise DemoContentError(f"No weeks found in {self.content_dir / 'weeks'}")

        self.load_authors()
        archive = ReportIndexPage.objects.get(locale=self.locales[SOURCE_LANGUAGE])
        steps = 3 * len(weeks)
        # English first, for every week: internal links may point at any week.
        for number, week in enumerate(weeks):
            self.progress(f"{week['week_start']} English pages", number, steps)
            with transaction.atomic():
                self.ensure_english_week(archive, week)
        for number, week in enumerate(weeks, start=len(weeks)):
            self.progress(f"{week['week_start']} bodies and publication", number, steps)
            with transaction.atomic():
                self.publish_english_week(week)
        for number, week in enumerate(weeks, start=2 * len(weeks)):
            self.progress(f"{week['week_start']} translations (be, ru)", number, steps)
            with transaction.atomic():
                self.translate_week(week)
        self.progress("pages", steps, steps)
        return self.report

    # ---- snippets and images -----------------------------------------------------------------

    def load_authors(self) -> None:
        records = json.loads((self.content_dir / "authors.json").read_text(encoding="utf-8"))
        for record in records:
            for code, locale in self.locales.items():
                texts = record[code]
                author, created = Author.objects.get_or_create(
                    locale=locale,
                    slug=record["slug"],
                    defaults={
                        "translation_key": stable_uuid("author", record["slug"]),
                        "name": texts["name"],
                        "role": texts.get("role", ""),
                        "bio": texts.get("bio", ""),
                    },
                )
                if created:
                    self.report.count("authors")
                if code == SOURCE_LANGUAGE:
                    self.authors[record["slug"]] = author

    def photo_for(self, week_start: str, article: dict) -> CreditedImage:
        spec = article["photo"]
        filename = f"demo-{week_start}-{article['topic']}.jpg"
        existing = CreditedImage.objects.filter(file=f"original_images/{filename}").first()
        if existing:
            return existing
        image = CreditedImage(
            title=spec["title"],
            description=spec.get("alt", ""),
            credit=spec.get("credit", ""),
            source_url=spec.get("source_url", ""),
            file=ImageFile(paint_photo(spec["palette"], seed=filename), name=filename),
        )
        image.save()
        self.report.count("images")
        return image

    # ---- English -----------------------------------------------------------------------------

    def ensure_english_week(self, archive: ReportIndexPage, week: dict) -> None:
        week_start = datetime.date.fromisoformat(week["week_start"])
        report = ReportPage.objects.filter(locale=archive.locale, week_start=week_start).first()
        if report is None:
            report = ReportPage(
                week_start=week_start,
                summary=week["summary"][SOURCE_LANGUAGE],
                translation_key=stable_uuid("report", week["week_start"]),
                live=False,
            )
            archive.add_child(instance=report)
            self.report.count("reports")

        for article in week["articles"]:
            if self.find_article(SOURCE_LANGUAGE, week["week_start"], article["topic"]):
                continue
            texts = article[SOURCE_LANGUAGE]
            page = ArticlePage(
                title=texts["title"],
                slug=texts["slug"],
                lead=texts["lead"],
                topic=Topic.objects.get(locale=archive.locale, slug=article["topic"]),
                trend=article["trend"],
                photo=self.photo_for(week["week_start"], article),
                translation_key=stable_uuid("article", week["week_start"], article["topic"]),
                live=False,
            )
            for author_slug in article["authors"]:
                page.authors.add(ArticlePageAuthor(author=self.authors[author_slug]))
            report.add_child(instance=page)
            self.report.count("articles")

    def publish_english_week(self, week: dict) -> None:
        report = self.find_report(SOURCE_LANGUAGE, week["week_start"])
        if not report.live:
            report.save_revision().publish()
        for article in week["articles"]:
            page = self.find_article(SOURCE_LANGUAGE, week["week_start"], article["topic"])
            if page.live:
                continue
            page.body = self.stream_data(week["week_start"], article, SOURCE_LANGUAGE)
            previous = self.find_article(
                SOURCE_LANGUAGE,
                (
                    datetime.date.fromisoformat(week["week_start"]) - datetime.timedelta(days=7)
                ).isoformat(),
                article["topic"],
            )
            if previous is not None:
                page.related_articles = [ArticlePageRelatedArticle(related=previous)]
            page.save_revision().publish()

    # ---- translations ------------------------------------------------------------------------

    def translate_week(self, week: dict) -> None:
        report = self.find_report(SOURCE_LANGUAGE, week["week_start"])
        for code in TRANSLATION_LANGUAGES:
            if not self.find_report(code, week["week_start"]):
                self.import_translation(report, code, {"summary": week["summary"][code]})
                self.report.count(f"reports ({code})")
        for article in week["articles"]:
            source_page = self.find_article(SOURCE_LANGUAGE, week["week_start"], article["topic"])
            for code in TRANSLATION_LANGUAGES:
                if code not in article:
                    continue  # deliberately untranslated: shows the be → ru fallback
                if self.find_article(code, week["week_start"], article["topic"]):
                    continue
                texts = article[code]
                self.import_translation(
                    source_page,
                    code,
                    {
                        "title": texts["title"],
                        "lead": texts["lead"],
                        "body": self.stream_data(week["week_start"], article, code),
                    },
                )
                self.report.count(f"articles ({code})")

    def import_translation(self, source_page: Page, language_code: str, values: dict) -> None:
        """Records `values` as a complete manual translation in wagtail-localize, then publishes it.

        The translated strings are found by extracting segments from an in-memory copy of the
        source page carrying the translated values: block ids are shared, so every segment
        lines up with its English original by its content path.
        """
        source, _ = TranslationSource.update_or_create_from_instance(source_page)
        translated_copy = copy.deepcopy(source_page)
        for name, value in values.items():
            setattr(translated_copy, name, value)
        if "body" in values:
            translated_copy.body = values["body"]

        originals = [s for s in extract_segments(source_page) if isinstance(s, StringSegmentValue)]
        translated = [
            s for s in extract_segments(translated_copy) if isinstance(s, StringSegmentValue)
        ]
        if [s.path for s in originals] != [s.path for s in translated]:
            raise DemoContentError(
                f"The {language_code} text of “{source_page.title}” does not mirror the English "
                "structure (blocks, figures, table cells or links differ)."
            )

        po = polib.POFile()
        for original, translation in zip(originals, translated, strict=True):
            po.append(
                polib.POEntry(
                    msgctxt=original.path,
                    msgid=original.string.data,
                    msgstr=translation.string.data,
                )
            )
        translation_record, _ = Translation.objects.get_or_create(
            source=source, target_locale=self.locales[language_code]
        )
        translation_record.import_po(po, tool_name="load_demo")
        translation_record.save_target(publish=True)

    # ---- lookups and content -----------------------------------------------------------------

    def find_report(self, language_code: str, week_start: str) -> ReportPage | None:
        return ReportPage.objects.filter(
            locale=self.locales[language_code],
            translation_key=stable_uuid("report", week_start),
        ).first()

    def find_article(self, language_code: str, week_start: str, topic: str) -> ArticlePage | None:
        return ArticlePage.objects.filter(
            locale=self.locales[language_code],
            translation_key=stable_uuid("article", week_start, topic),
        ).first()

    def stream_data(self, week_start: str, article: dict, language_code: str) -> list[dict]:
        """The article body as StreamField data, with block ids shared by every language."""
        key = (week_start, article["topic"])
        blocks = []
        for number, block in enumerate(article[language_code]["body"]):
            block_id = str(stable_uuid("block", *key, number))
            kind, value = block["type"], block["value"]
            if kind == "paragraph":
                value = PAGE_LINK.sub(self.page_link, value)
            elif kind == "key_figures":
                value = {
                    "title": value["title"],
                    "note": value.get("note", ""),
                    "figures": [
                        {
                            "type": "item",
                            "id": str(stable_uuid("figure", *key, number, index)),
                            "value": figure,
                        }
                        for index, figure in enumerate(value["figures"])
                    ],
                }
            elif kind == "table":
                value = {
                    "data": value["rows"],
                    "first_row_is_table_header": value.get("first_row_is_header", True),
                    "first_col_is_header": False,
                    "table_caption": value.get("caption", ""),
                }
            blocks.append({"type": kind, "value": value, "id": block_id})
        return blocks

    def page_link(self, match: re.Match) -> str:
        target = self.find_article(SOURCE_LANGUAGE, match.group(1), match.group(2))
        if target is None:
            raise DemoContentError(f"Link to a demo article that does not exist: {match.group(0)}")
        return f'<a linktype="page" id="{target.pk}">'


def paint_photo(palette: list[str], seed: str, size=(1600, 900)) -> io.BytesIO:
    """An abstract, deterministic "photo": a two-colour gradient with soft shapes."""
    rng = random.Random(seed)
    width, height = size
    start, end = (tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in palette)
    picture = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        mix = y / (height - 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(start, end, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    overlay = PILImage.new("RGB", size)
    shapes = ImageDraw.Draw(overlay)
    for _ in range(7):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(80, 320)
        shade = tuple(rng.randrange(60, 230) for _ in range(3))
        shapes.ellipse([x - r, y - r, x + r, y + r], fill=shade)
    picture = PILImage.blend(picture, overlay.filter(ImageFilter.GaussianBlur(40)), 0.35)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=82)
    buffer.seek(0)
    return buffer
