"""The digest's part of the OpenAPI 3.1 contract of /api/v2/: its schemas and paths.

Page types come from digest.api.representers, block types from digest.blocks.ArticleBodyBlock,
each endpoint's query parameters from its own declaration (core.query) — adding a field, block
or parameter without a schema fails the build. cms.openapi assembles the whole document from
this part and the search app's.
"""

from core.languages import LANGUAGES
from core.openapi import (
    DATETIME,
    LOCALE,
    NOT_MODIFIED,
    PATH_ID,
    REF,
    listing,
    obj,
    operation,
    ref,
)
from core.query import Param
from digest.api import pages, renditions, richtext
from digest.api.changes import ChangesView
from digest.api.images import IMAGE_PROPERTIES
from digest.api.media import DocumentsEndpoint, ImagesEndpoint
from digest.api.preview import PagePreviewView
from digest.api.redirects import RedirectFindView
from digest.api.representers import REPRESENTERS, model_name
from digest.api.snippets import AuthorsEndpoint, SnippetEndpoint, TopicsEndpoint, TrendsView
from digest.blocks import ArticleBodyBlock
from digest.trends import Trend


def common_schemas() -> dict:
    return {
        "Error": obj(
            {
                "message": {"type": "string", "description": "What went wrong, for humans."},
                "status": {"type": "integer"},
                "errors": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Per-field messages (validation): field name → its messages "
                    "(`non_field_errors` for the request as a whole).",
                },
                "code": {
                    "enum": ["invalid", "expired", "used", "revoked", "outdated", "full_rebuild"],
                    "description": "Why a token was refused: a newsletter token is invalid, "
                    "expired or used; a preview token invalid, expired, revoked (the page is "
                    "gone or its editor may no longer edit it) or outdated (a later draft). "
                    "`full_rebuild` (410, the change feed): the cursor is older than the "
                    "changes kept, or ahead of the feed — rebuild everything, then follow the "
                    "feed from a new position (no `since`).",
                },
            },
            required=["message", "status"],
        ),
        "ListingMeta": obj({"total_count": {"type": "integer", "minimum": 0}}),
        "LiveTranslationLink": obj(
            {
                "locale": LOCALE,
                "status": {"const": "live"},
                "id": {"type": "integer"},
                "path": {"type": "string", "description": "Path on the frontend."},
                "html_url": {"type": "string", "format": "uri"},
            },
            description="This page is public in `locale`, at `path`.",
        ),
        "MissingTranslationLink": obj(
            {
                "locale": LOCALE,
                "status": {"const": "missing"},
                "id": {"type": "null"},
                "path": {"type": "null"},
                "html_url": {"type": "null"},
            },
            # Always sent (null), but optional here: openapi-fetch leaves null-only properties
            # out of its response types, which must still be assignable to this schema's.
            required=["locale", "status"],
            description="This page is not public in `locale` (id, path and html_url are null).",
        ),
        "TranslationLink": {
            "oneOf": [ref("LiveTranslationLink"), ref("MissingTranslationLink")],
            "discriminator": {
                "propertyName": "status",
                "mapping": {
                    "live": REF + "LiveTranslationLink",
                    "missing": REF + "MissingTranslationLink",
                },
            },
            "description": "This page in another language: narrow by `status`.",
        },
        "PageMeta": obj(
            {
                "type": {"type": "string", "description": "app_label.ModelName"},
                "detail_url": {"type": "string", "format": "uri"},
                "html_url": {"type": ["string", "null"], "format": "uri"},
                "path": {"type": ["string", "null"], "description": "Path on the frontend."},
                "slug": {"type": "string"},
                "locale": {**LOCALE, "description": "The language this item answers for."},
                "served_locale": {**LOCALE, "description": "The language of the content."},
                "fallback": {
                    "type": "boolean",
                    "description": "True when the content is borrowed from another language.",
                },
                "first_published_at": DATETIME,
                "last_published_at": DATETIME,
                "seo_title": {"type": "string"},
                "search_description": {"type": "string"},
                "translations": {"type": "array", "items": ref("TranslationLink")},
            }
        ),
        "Week": obj(
            {
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
                "title": {"type": "string", "examples": ["September 11 – September 17, 2023"]},
            }
        ),
        "Trend": obj(
            {
                "value": {"enum": list(Trend.values)},
                "label": {"type": "string"},
                "direction": {"enum": [-1, 0, 1]},
            }
        ),
        "TopicRef": obj(
            {"id": {"type": "integer"}, "slug": {"type": "string"}, "name": {"type": "string"}}
        ),
        "AuthorRef": obj(
            {
                "id": {"type": "integer"},
                "slug": {"type": "string"},
                "name": {"type": "string"},
                "role": {"type": "string"},
            }
        ),
        "Rendition": obj(
            {
                "url": {"type": "string", "format": "uri"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
                "format": {"enum": ["jpeg", "webp"]},
            }
        ),
        "FocalPoint": obj({name: {"type": "integer"} for name in ("x", "y", "width", "height")}),
        "Image": obj({"id": {"type": "integer"}, **IMAGE_PROPERTIES}),
        "NewsletterBox": obj(
            {
                "title": {"type": "string"},
                "text": {"type": "string"},
                "success_message": {"type": "string"},
            }
        ),
        **SnippetEndpoint.schemas,
        **TopicsEndpoint.schemas,
        **AuthorsEndpoint.schemas,
        **ImagesEndpoint.schemas,
        **renditions.SCHEMAS,
        **DocumentsEndpoint.schemas,
        **TrendsView.schemas,
        **RedirectFindView.schemas,
        **ChangesView.schemas,
    }


def block_schemas() -> dict:
    schemas, variants, mapping = {}, [], {}
    for name, block in ArticleBodyBlock().child_blocks.items():
        schema_name = "".join(part.title() for part in name.split("_")) + "Block"
        value_schema = getattr(block, "api_schema", None)
        if value_schema is None:
            raise TypeError(f"Body block '{name}' has no api_schema: describe it for the API.")
        schemas[schema_name] = obj(
            {
                "type": {"const": name},
                "id": {"type": "string"},
                "value": value_schema,
                **getattr(block, "api_optional", {}),
            },
            required=["type", "id", "value"],
            description=str(block.meta.label or name),
        )
        variants.append(ref(schema_name))
        mapping[name] = REF + schema_name
    schemas["BodyBlock"] = {
        "oneOf": variants,
        "discriminator": {"propertyName": "type", "mapping": mapping},
    }
    schemas.update(rich_text_schemas())
    return schemas


def rich_text_schemas() -> dict:
    """The rich-text tree (digest.api.richtext.rich_text_tree), told apart by `type`."""
    children = {"type": "array", "items": ref("RichTextNode")}
    variants = {
        "RichTextText": obj({"type": {"const": "text"}, "text": {"type": "string"}}),
        "RichTextLineBreak": obj({"type": {"const": "line_break"}}),
        "RichTextElement": obj(
            {"type": {"enum": list(richtext.PLAIN_ELEMENTS)}, "children": children}
        ),
        "RichTextHeading": obj(
            {"type": {"const": "heading"}, "level": {"enum": [2, 3]}, "children": children}
        ),
        "RichTextList": obj(
            {"type": {"const": "list"}, "ordered": {"type": "boolean"}, "children": children}
        ),
        "RichTextLink": obj(
            {
                "type": {"const": "link"},
                "href": {"type": "string", "format": "uri"},
                "children": children,
            },
            description="A link elsewhere (http, https or mailto).",
        ),
        "RichTextPageLink": obj(
            {
                "type": {"const": "page_link"},
                "page": obj(
                    {
                        "id": {"type": "integer"},
                        "locale": LOCALE,
                        "path": {
                            "type": ["string", "null"],
                            "description": "Path on the frontend.",
                        },
                    }
                ),
                "children": children,
            },
            description="A link to one of our pages: the version the reader's edition serves.",
        ),
    }
    mapping = {}
    for name, schema in variants.items():
        kind = schema["properties"]["type"]
        for value in kind.get("enum", [kind.get("const")]):
            mapping[value] = REF + name
    return {
        **variants,
        "RichTextNode": {
            "oneOf": [ref(name) for name in variants],
            "discriminator": {"propertyName": "type", "mapping": mapping},
        },
    }


def page_schemas() -> dict:
    """One schema per page type, detail and summary, each naming its type in `type` (the unions'
    discriminator, so generated clients narrow `Page`, `PageSummary` and search results by
    `item.type`) and, as Wagtail's API does, in `meta.type`."""
    schemas = {}
    details, summaries = {}, {}
    for representer in REPRESENTERS.values():
        name, type_name = representer.model.__name__, model_name(representer.model)
        type_schema = {"const": type_name}
        meta = {"allOf": [ref("PageMeta"), {"properties": {"type": type_schema}}]}
        base = {"id": {"type": "integer"}, "type": type_schema, "meta": meta}
        fields = {field: representer.field_schemas[field] for field in representer.fields}
        schemas[name] = obj({**base, **fields})
        listed = representer.detail_only - getattr(representer, "includable", frozenset())
        summary_fields = {field: schema for field, schema in fields.items() if field not in listed}
        schemas[f"{name}Summary"] = obj(
            {**base, **summary_fields},
            required=["id", "type", "meta", *representer.listing_fields],
            description=f"{name} in a listing: the defaults, plus any fields asked for.",
        )
        details[type_name] = name
        summaries[type_name] = f"{name}Summary"
    schemas["Page"] = discriminated(details)
    schemas["PageSummary"] = discriminated(summaries)
    return schemas


def discriminated(schema_by_type: dict) -> dict:
    """A union of page schemas told apart by their top-level `type`."""
    return {
        "oneOf": [ref(name) for name in schema_by_type.values()],
        "discriminator": {
            "propertyName": "type",
            "mapping": {type_name: REF + name for type_name, name in schema_by_type.items()},
        },
    }


def paths() -> dict:
    """The content endpoints, their parameters read from each endpoint's own declaration."""
    text = {"type": "string"}
    locale_path = {"name": "locale", "in": "path", "required": True, "schema": LOCALE}
    return {
        "/api/v2/pages/": operation(
            "Pages, filtered and paginated",
            pages.LISTING.openapi(),
            listing("PageSummary"),
            400,
            operationId="listPages",
        ),
        "/api/v2/pages/{id}/": operation(
            "One page with every field",
            [PATH_ID, *pages.DETAIL.openapi()],
            ref("Page"),
            400,
            404,
            operationId="getPage",
        ),
        "/api/v2/pages/find/": operation(
            "The page at a frontend path (EN unprefixed, /be/…, /ru/…)",
            pages.FIND.openapi(),
            ref("Page"),
            400,
            404,
            operationId="findPage",
        ),
        "/api/v2/page_preview/": operation(
            "A draft, for the frontend's preview (token from the admin's preview button)",
            PagePreviewView.PARAMETERS.openapi(),
            ref("Page"),
            400,
            404,
            operationId="previewPage",
            description=PagePreviewView.CONTRACT_DESCRIPTION,
        ),
        "/api/v2/topics/": operation(
            "Topics",
            TopicsEndpoint.LISTING.openapi(),
            listing("Topic"),
            400,
            operationId="listTopics",
        ),
        "/api/v2/topics/{id}/": operation(
            "One topic", [PATH_ID], ref("Topic"), 400, 404, operationId="getTopic"
        ),
        "/api/v2/authors/": operation(
            "Authors",
            AuthorsEndpoint.LISTING.openapi(),
            listing("Author"),
            400,
            operationId="listAuthors",
        ),
        "/api/v2/authors/{id}/": operation(
            "One author", [PATH_ID], ref("Author"), 400, 404, operationId="getAuthor"
        ),
        "/api/v2/trends/": operation(
            "Week-by-week trend per topic, for charts",
            TrendsView.PARAMETERS.openapi(),
            ref("TrendSeries"),
            400,
            operationId="getTrends",
        ),
        "/api/v2/images/": operation(
            "Images in public collections",
            ImagesEndpoint.LISTING.openapi(),
            listing("ImageItem"),
            400,
            operationId="listImages",
        ),
        "/api/v2/images/{id}/": operation(
            "One image", [PATH_ID], ref("ImageItem"), 400, 404, operationId="getImage"
        ),
        **renditions.openapi_paths(),
        "/api/v2/documents/": operation(
            "Documents in public collections",
            DocumentsEndpoint.LISTING.openapi(),
            listing("Document"),
            400,
            operationId="listDocuments",
        ),
        "/api/v2/documents/{id}/": operation(
            "One document", [PATH_ID], ref("Document"), 400, 404, operationId="getDocument"
        ),
        "/api/v2/redirects/find/": operation(
            "Where an old frontend path now leads",
            RedirectFindView.PARAMETERS.openapi(),
            ref("RedirectTarget"),
            400,
            404,
            operationId="findRedirect",
        ),
        "/api/v2/changes/": changes_operation(),
        "/api/v2/feeds/{locale}/rss/": operation(
            "RSS 2.0 feed of the latest articles in a language",
            [locale_path],
            text,
            404,
            content_type="application/rss+xml",
            operationId="rssFeed",
        ),
        "/api/v2/feeds/{locale}/atom/": operation(
            "Atom feed of the latest articles in a language",
            [locale_path],
            text,
            404,
            content_type="application/atom+xml",
            operationId="atomFeed",
        ),
        "/api/v2/sitemap.xml": operation(
            "XML sitemap of every public page, with hreflang alternates",
            [],
            text,
            content_type="application/xml",
            operationId="sitemap",
        ),
    }


def changes_operation() -> dict:
    """The change feed, for incremental static builds; its 410 tells a client to rebuild."""
    changes = operation(
        "What readers could see change since a cursor: pages created, updated, unpublished, "
        "deleted, with their paths in every language",
        ChangesView.PARAMETERS.openapi(),
        ref("Changes"),
        400,
        410,
        operationId="listChanges",
    )
    return changes


def json_body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def newsletter_paths() -> dict:
    """The newsletter's write endpoints (digest.newsletter.api): no login, tokens from e-mails."""
    edition = {"enum": list(LANGUAGES), "description": "be is the BE/RU edition."}
    token = {"type": "string", "maxLength": 500}
    subscription = obj(
        {
            "email": {"type": "string"},
            "locale": edition,
            "status": {"enum": ["pending", "confirmed", "unsubscribed"]},
        }
    )
    token_param = Param("token", token, "The token from the e-mail's link.").openapi()
    return {
        "/api/v2/newsletter/subscribe/": {
            "post": {
                "operationId": "subscribe",
                "summary": "Ask for the weekly digest; a confirmation e-mail follows",
                "description": "Always 202 with the same body, whatever the address's state.",
                "requestBody": json_body(
                    obj(
                        {
                            "email": {"type": "string", "maxLength": 254},
                            "locale": edition,
                            "website": {
                                "type": "string",
                                "description": "Honeypot: leave empty.",
                            },
                        },
                        required=["email", "locale"],
                        additionalProperties=True,
                    )
                ),
                "responses": {
                    "202": {
                        "description": "Accepted",
                        "content": {
                            "application/json": {
                                "schema": obj(
                                    {"message": {"type": "string"}, "status": {"const": 202}}
                                )
                            }
                        },
                    },
                    **{
                        str(status): {"$ref": f"#/components/responses/Error{status}"}
                        for status in (400, 413, 415, 429, 503)
                    },
                },
            }
        },
        "/api/v2/newsletter/confirm/": {
            "post": {
                "operationId": "confirmSubscription",
                "summary": "Confirm a subscription with the token from the confirmation e-mail",
                "requestBody": json_body(obj({"token": token})),
                "responses": {
                    "200": {
                        "description": "Confirmed",
                        "content": {
                            "application/json": {
                                "schema": obj({"status": {"const": "confirmed"}, "locale": edition})
                            }
                        },
                    },
                    "400": {"$ref": "#/components/responses/Error400"},
                    "413": {"$ref": "#/components/responses/Error413"},
                    "415": {"$ref": "#/components/responses/Error415"},
                    "503": {"$ref": "#/components/responses/Error503"},
                },
            }
        },
        "/api/v2/newsletter/unsubscribe/": {
            "post": {
                "operationId": "unsubscribe",
                "summary": "One-click unsubscribe (RFC 8058); idempotent",
                "parameters": [token_param],
                "requestBody": {
                    "required": False,
                    "content": {
                        "application/json": {"schema": obj({"token": token}, required=[])},
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {"List-Unsubscribe": {"const": "One-Click"}},
                            }
                        },
                    },
                },
                "responses": {
                    "200": {
                        "description": "Unsubscribed",
                        "content": {
                            "application/json": {
                                "schema": obj({"status": {"const": "unsubscribed"}})
                            }
                        },
                    },
                    "400": {"$ref": "#/components/responses/Error400"},
                    "413": {"$ref": "#/components/responses/Error413"},
                    "503": {"$ref": "#/components/responses/Error503"},
                },
            }
        },
        "/api/v2/newsletter/preferences/": {
            "get": {
                "operationId": "getSubscription",
                "summary": "A subscriber's address, edition and state",
                "parameters": [{**token_param, "required": True}],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": subscription}},
                    },
                    "400": {"$ref": "#/components/responses/Error400"},
                    "503": {"$ref": "#/components/responses/Error503"},
                },
            },
            "post": {
                "operationId": "changeEdition",
                "summary": "Change a subscriber's language",
                "requestBody": json_body(obj({"token": token, "locale": edition})),
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": subscription}},
                    },
                    "400": {"$ref": "#/components/responses/Error400"},
                    "413": {"$ref": "#/components/responses/Error413"},
                    "415": {"$ref": "#/components/responses/Error415"},
                    "503": {"$ref": "#/components/responses/Error503"},
                },
            },
        },
    }


def error_responses() -> dict:
    descriptions = {
        400: "Bad request: a parameter is missing or invalid.",
        403: "Forbidden: e.g. a rendition URL with a signature the CMS did not make.",
        404: "Not found, or not public.",
        413: "Request body too large.",
        410: "Gone: see `code`.",
        415: "Unsupported media type.",
        429: "Too many requests; see Retry-After.",
        503: "Temporarily unavailable; see Retry-After.",
    }
    return {
        "NotModified": NOT_MODIFIED,
        **{
            f"Error{status}": {
                "description": description,
                "content": {"application/json": {"schema": ref("Error")}},
            }
            for status, description in descriptions.items()
        },
    }
