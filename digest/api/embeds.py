"""Embeds in the API: the provider's HTML as fetched when the editor saved, never fetched live."""

from urllib.parse import urlsplit

from digest.content_safety import sanitize_embed_html


def embed_representation(url: str, embed) -> dict:
    if embed is None:
        return {
            "url": url,
            "html": None,
            "provider": urlsplit(url).hostname if url else None,
            "title": None,
            "width": None,
            "height": None,
        }
    return {
        "url": url,
        "html": sanitize_embed_html(embed.html) if embed.html else None,
        "provider": embed.provider_name or urlsplit(url).hostname,
        "title": embed.title or None,
        "width": embed.width,
        "height": embed.height,
    }
