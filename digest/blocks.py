"""StreamField blocks of an article body."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail_localize.segments import StringSegmentValue

from digest.content_safety import validate_embed_url, validate_rich_text_links

# API representations (get_api_representation) read images, link targets and embeds that the
# API loaded in bulk beforehand; `context["api"]` is the response's digest.api.context.ApiContext.

# Paragraphs carry prose only: structure (headings, quotes, figures) has its own blocks.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


def _api(context):
    return context["api"]


class ParagraphBlock(blocks.RichTextBlock):
    api_schema = {
        "type": "string",
        "contentMediaType": "text/html",
        "description": "Sanitized HTML; links point at the frontend.",
    }
    # Besides `value`, with rich_text_tree=true (ArticleBodyBlock.get_api_representation).
    api_optional = {
        "tree": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/RichTextNode"},
            "description": "The paragraph as typed nodes (with rich_text_tree=true).",
        }
    }

    def get_api_representation(self, value, context=None):
        from digest.api.richtext import frontend_html

        return frontend_html(value.source, _api(context))

    def clean(self, value):
        # First the editor's text as submitted: the links its conversion dropped are noted on
        # it (content_safety.LinkCheckingDraftail) and would be lost by the field's clean.
        validate_rich_text_links(value.source)
        value = super().clean(value)
        validate_rich_text_links(value.source)
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

    api_schema = {
        "type": "object",
        "properties": {"text": {"type": "string"}, "level": {"enum": ["h2", "h3"]}},
        "required": ["text", "level"],
        "additionalProperties": False,
    }

    class Meta:
        icon = "title"
        label = _("Heading")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(
        label=_("attribution"),
        required=False,
        help_text=_("Who said it, e.g. “Guntis Pujats, head of the Latvian State Border Guard”."),
    )

    api_schema = {
        "type": "object",
        "properties": {"quote": {"type": "string"}, "attribution": {"type": "string"}},
        "required": ["quote", "attribution"],
        "additionalProperties": False,
    }

    class Meta:
        icon = "openquote"
        label = _("Quote")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    api_schema = {
        "type": "object",
        "properties": {
            "image": {"oneOf": [{"$ref": "#/components/schemas/Image"}, {"type": "null"}]},
            "caption": {"type": "string"},
            "credit": {"type": "string"},
        },
        "required": ["image", "caption", "credit"],
        "additionalProperties": False,
    }

    def get_api_representation(self, value, context=None):
        from digest.api.images import image_representation

        image = value.get("image")
        api = (context or {}).get("api")
        if api is not None and not api.shows_image(image):
            image = None  # a private collection's image shows nothing of itself: no credit, no alt
        return {
            "image": image_representation(image) if image else None,
            "caption": value.get("caption") or "",
            "credit": image.credit if image else "",
        }

    class Meta:
        icon = "image"
        label = _("Image")


class CaptionedEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("URL"), help_text=_("A link to a video or post, e.g. on YouTube."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    def clean(self, value):
        # Refuse other providers before Wagtail fetches anything from them.
        if value.get("embed"):
            try:
                validate_embed_url(value["embed"].url)
            except ValidationError as error:
                raise blocks.StructBlockValidationError(block_errors={"embed": error}) from error
        return super().clean(value)

    api_schema = {
        "type": "object",
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "html": {
                "type": ["string", "null"],
                "contentMediaType": "text/html",
                "description": "Provider HTML, if fetched.",
            },
            "provider": {"type": ["string", "null"]},
            "title": {"type": ["string", "null"]},
            "width": {"type": ["integer", "null"]},
            "height": {"type": ["integer", "null"]},
            "caption": {"type": "string"},
        },
        "required": ["url", "html", "provider", "title", "width", "height", "caption"],
        "additionalProperties": False,
    }

    def get_api_representation(self, value, context=None):
        from digest.api.embeds import embed_representation

        embed = value.get("embed")
        url = embed.url if embed else ""
        return {
            **embed_representation(url, _api(context).embeds.get(url)),
            "caption": value.get("caption") or "",
        }

    class Meta:
        icon = "media"
        label = _("Embed")


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("figure"), max_length=40, help_text=_("e.g. “2,150”"))
    label = blocks.CharBlock(label=_("what it counts"), max_length=200)


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("key figures"), min_num=1)
    note = blocks.TextBlock(label=_("note"), required=False)

    api_schema = {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "figures": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
                    "required": ["value", "label"],
                    "additionalProperties": False,
                },
            },
            "note": {"type": "string"},
        },
        "required": ["title", "figures", "note"],
        "additionalProperties": False,
    }

    class Meta:
        icon = "list-ol"
        label = _("Key figures")


class DataTableBlock(TableBlock):
    """A table whose cells and caption translators can translate.

    wagtail-localize skips Wagtail's TableBlock, which would leave tables in English in
    every translation; each non-empty cell becomes its own translatable segment instead.
    """

    def get_translatable_segments(self, value):
        if not value:
            return []
        segments = []
        if value.get("table_caption"):
            segments.append(StringSegmentValue("caption", value["table_caption"]))
        for row_number, row in enumerate(value.get("data") or []):
            for column_number, cell in enumerate(row):
                if cell:
                    path = f"r{row_number}c{column_number}"
                    segments.append(StringSegmentValue(path, str(cell)))
        return segments

    api_schema = {
        "type": "object",
        "properties": {
            "caption": {"type": "string"},
            "first_row_is_header": {"type": "boolean"},
            "first_col_is_header": {"type": "boolean"},
            "rows": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["caption", "first_row_is_header", "first_col_is_header", "rows"],
        "additionalProperties": False,
    }

    def get_api_representation(self, value, context=None):
        value = value or {}
        return {
            "caption": value.get("table_caption") or "",
            "first_row_is_header": bool(value.get("first_row_is_table_header")),
            "first_col_is_header": bool(value.get("first_col_is_header")),
            "rows": [
                ["" if cell is None else str(cell) for cell in row]
                for row in value.get("data") or []
            ],
        }

    def restore_translated_segments(self, value, segments):
        value = dict(value)
        value["data"] = [list(row) for row in value.get("data") or []]
        for segment in segments:
            text = segment.render_text()
            if segment.path == "caption":
                value["table_caption"] = text
                continue
            row_number, column_number = segment.path[1:].split("c")
            value["data"][int(row_number)][int(column_number)] = text
        return value

    class Meta:
        icon = "table"
        label = _("Table")


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"))
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    embed = CaptionedEmbedBlock()
    table = DataTableBlock(
        table_options={"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False}
    )
    key_figures = FactBoxBlock()

    def get_api_representation(self, value, context=None):
        representation = super().get_api_representation(value, context)
        api = _api(context)
        if api.rich_text_tree:
            from digest.api.richtext import rich_text_tree

            for item in representation:
                if item["type"] == "paragraph":
                    item["tree"] = rich_text_tree(item["value"], api)
        return representation

    def collect_api_dependencies(self, value, api) -> None:
        """Tell the API what this body needs loaded: images, linked pages, embeds."""
        for child in value:
            if child.block_type == "paragraph":
                api.collect_rich_text(child.value.source)
            elif child.block_type == "image" and child.value.get("image"):
                api.add_images([child.value["image"]])
            elif child.block_type == "embed" and child.value.get("embed"):
                api.embed_urls.add(child.value["embed"].url)
