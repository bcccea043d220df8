"""Rich text for the API: frontend-ready HTML, and (opt-in) the same text as a typed tree.

The HTML: internal links become frontend URLs, then it is sanitized. The tree is read from
that sanitized HTML, so both say the same and only our rich-text tags (content_safety) occur:
paragraphs, headings, lists, bold, italic, super- and subscript, line breaks and links — a
link to one of our pages as a `page_link` with the page's id, language and frontend path, for a
frontend to resolve on its own domain.
"""

from html.parser import HTMLParser

from django.utils.html import escape
from wagtail.rich_text.rewriters import LinkRewriter

from digest.content_safety import sanitize_html


def frontend_html(source: str, context) -> str:
    """Database rich text → safe HTML whose links point at the frontend.

    `context` (an ApiContext) must have loaded the linked pages (collect_rich_text + load).
    Links to pages the public cannot see lose their href rather than leak a path.
    """

    def page_links(attrs_list):
        tags = []
        for attrs in attrs_list:
            try:
                target = context.link_targets.get(int(attrs.get("id", "")))
            except ValueError:
                target = None
            href = target.url if target else None
            tags.append(f'<a href="{escape(href)}">' if href else "<a>")
        return tags

    html = LinkRewriter(bulk_rules={"page": page_links})(source)
    return sanitize_html(html)


# ---- the tree ---------------------------------------------------------------------------------

# Tag → (node type, its attributes). Both spellings of bold and italic are one node each.
_ELEMENTS = {
    "p": ("paragraph", {}),
    "h2": ("heading", {"level": 2}),
    "h3": ("heading", {"level": 3}),
    "ul": ("list", {"ordered": False}),
    "ol": ("list", {"ordered": True}),
    "li": ("list_item", {}),
    "b": ("bold", {}),
    "strong": ("bold", {}),
    "i": ("italic", {}),
    "em": ("italic", {}),
    "sup": ("superscript", {}),
    "sub": ("subscript", {}),
}
PLAIN_ELEMENTS = ("paragraph", "list_item", "bold", "italic", "superscript", "subscript")


class _TreeBuilder(HTMLParser):
    def __init__(self, pages_by_url: dict):
        super().__init__(convert_charrefs=True)
        self.pages_by_url = pages_by_url
        self.root: list = []
        # Open elements: (tag, children list); a link without an href keeps its parent's list.
        self.stack: list[tuple[str, list]] = [("", self.root)]

    @property
    def children(self) -> list:
        return self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.children.append({"type": "line_break"})
            return
        if tag == "a":
            href = dict(attrs).get("href")
            target = self.pages_by_url.get(href) if href else None
            if target is not None:
                node = {
                    "type": "page_link",
                    "page": {"id": target.id, "locale": target.locale, "path": target.path},
                }
            elif href:
                node = {"type": "link", "href": href}
            else:  # a link to a page readers cannot see: its words only
                self.stack.append((tag, self.children))
                return
        elif tag in _ELEMENTS:
            node_type, extra = _ELEMENTS[tag]
            node = {"type": node_type, **extra}
        else:
            return
        node["children"] = []
        self.children.append(node)
        self.stack.append((tag, node["children"]))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if not data or (not data.strip() and self.stack[-1][0] in ("", "ul", "ol")):
            return  # layout whitespace between blocks and list items
        children = self.children
        if children and children[-1]["type"] == "text":
            children[-1]["text"] += data
        else:
            children.append({"type": "text", "text": data})


def rich_text_tree(html: str, context) -> list[dict]:
    """Sanitized frontend HTML (frontend_html's) → a list of typed nodes (the contract's
    RichTextNode). `context` is the ApiContext that resolved the HTML's links."""
    pages_by_url = {
        target.url: target for target in context.link_targets.values() if target and target.url
    }
    builder = _TreeBuilder(pages_by_url)
    builder.feed(html)
    builder.close()
    return builder.root
