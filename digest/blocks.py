"""StreamField blocks of an article body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail_localize.segments import StringSegmentValue

# Paragraphs carry prose only: structure (headings, quotes, figures) has its own blocks.
PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "superscript", "subscript"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section heading")), ("h3", _("Subheading"))],
        default="h2",
    )

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

    class Meta:
        icon = "openquote"
        label = _("Quote")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")


class CaptionedEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("URL"), help_text=_("A link to a video or post, e.g. on YouTube."))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

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
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("Paragraph"))
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = CaptionedImageBlock()
    embed = CaptionedEmbedBlock()
    table = DataTableBlock(
        table_options={"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False}
    )
    key_figures = FactBoxBlock()
