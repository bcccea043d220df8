"""The search app's part of the OpenAPI contract: its two endpoints and their result schemas
(page summaries as digest.api.representers writes them, plus a highlight and a score). Each
endpoint's parameters come from its own declaration in search.api."""

from core.openapi import obj, operation, ref
from digest.api.openapi import discriminated
from digest.api.representers import REPRESENTERS, model_name
from digest.models import ArticlePage, ReportPage
from search.api import SearchView, SuggestView


def search_schemas() -> dict:
    """Search (search/api.py): page summaries with a highlight and a score, facets, suggestions."""
    html = {
        "type": "string",
        "contentMediaType": "text/html",
        "description": "HTML: escaped text, matched words in <mark>.",
    }
    schemas, variants = {}, {}
    for model in (ArticlePage, ReportPage):
        representer = REPRESENTERS[model]
        type_schema = {"const": model_name(model)}
        meta = {"allOf": [ref("PageMeta"), {"properties": {"type": type_schema}}]}
        name = f"{model.__name__}SearchResult"
        schemas[name] = obj(
            {
                "id": {"type": "integer"},
                "type": type_schema,
                "meta": meta,
                **{field: representer.field_schemas[field] for field in representer.listing_fields},
                "highlight": ref("SearchHighlight"),
                "score": {
                    "type": "number",
                    "description": "Relevance: higher is better; only compare within one search.",
                },
            },
            description=f"{model.__name__} found by a search: its listing fields and the match.",
        )
        variants[model_name(model)] = name
    count = {"type": "integer", "minimum": 1}
    schemas.update(
        {
            "SearchHighlight": obj(
                {
                    "title": html,
                    "text": {
                        **html,
                        "description": (
                            "HTML: a snippet of the lead and body (a week's summary), "
                            "matched words in <mark>, fragments joined by ' … '."
                        ),
                    },
                }
            ),
            "SearchResult": discriminated(variants),
            "SearchFacets": obj(
                {
                    "topics": {
                        "type": "array",
                        "items": obj({"topic": ref("TopicRef"), "count": count}),
                        "description": "Hits per topic, with every filter but `topic`.",
                    },
                    "years": {
                        "type": "array",
                        "items": obj({"year": {"type": "integer"}, "count": count}),
                        "description": "Hits per year of the week's Monday, newest first, with "
                        "every filter but the dates.",
                    },
                }
            ),
            "SearchResults": obj(
                {
                    "meta": ref("ListingMeta"),
                    "items": {"type": "array", "items": ref("SearchResult")},
                    "facets": ref("SearchFacets"),
                }
            ),
            "SearchSuggestion": obj(
                {
                    "id": {"type": "integer"},
                    "type": {"enum": [model_name(ArticlePage), model_name(ReportPage)]},
                    "title": {"type": "string"},
                    "path": {"type": ["string", "null"]},
                    "html_url": {"type": ["string", "null"], "format": "uri"},
                }
            ),
            "SearchSuggestions": obj(
                {"items": {"type": "array", "items": ref("SearchSuggestion")}}
            ),
        }
    )
    return schemas


def search_paths() -> dict:
    return {
        "/api/v2/search/": operation(
            "Full-text search of the published articles and weeks in one language",
            SearchView.PARAMETERS.openapi(),
            ref("SearchResults"),
            400,
            operationId="search",
            description=(
                "Ranked results (best first) with highlights, the total and facet counts. "
                "English and Russian match other forms of a word (borders → border, границу → "
                "граница); Belarusian does where the server has its dictionary. Quotes, "
                "wildcards and operators are plain text."
            ),
        ),
        "/api/v2/search/suggest/": operation(
            "Titles whose words start with what was typed, for a search box",
            SuggestView.PARAMETERS.openapi(),
            ref("SearchSuggestions"),
            400,
            operationId="suggestTitles",
        ),
    }
