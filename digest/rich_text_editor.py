"""The admin's rich text editor: Draftail, telling the editor about an unsafe link.

Set as Wagtail's default editor (WAGTAILADMIN_RICH_TEXT_EDITORS); loaded by Wagtail once the
apps are ready, which is why it is not in digest.content_safety (imported by the models).
"""

from wagtail.admin.rich_text import DraftailRichTextArea

from digest.content_safety import EditedHtml, unsafe_links


class LinkCheckingDraftail(DraftailRichTextArea):
    """Draftail, telling the editor about the links it would drop.

    Wagtail's conversion of the editor's content to HTML silently removes a link with an unsafe
    scheme (`javascript:` …), so the article would be saved with the words but without the link
    and without a word to the editor. This widget notes such links on the converted HTML, and
    digest.content_safety.validate_rich_text_links refuses the save with a message naming them.
    """

    def value_from_datadict(self, data, files, name):
        html = super().value_from_datadict(data, files, name)
        refused = unsafe_links(data.get(name))
        if html is None or not refused:
            return html
        edited = EditedHtml(html)
        edited.refused = refused
        return edited
