"""Rich text as frontend-ready HTML: internal links become frontend URLs, then it is sanitized."""

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
                href = context.link_hrefs.get(int(attrs.get("id", "")))
            except ValueError:
                href = None
            tags.append(f'<a href="{escape(href)}">' if href else "<a>")
        return tags

    html = LinkRewriter(bulk_rules={"page": page_links})(source)
    return sanitize_html(html)
