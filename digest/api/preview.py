"""Draft previews for the frontend (wagtail-headless-preview).

The admin's preview button stores the draft and opens the frontend with `content_type` and a
signed `token`; the frontend fetches `/api/v2/page_preview/?content_type=…&token=…` and renders
the draft exactly like a live page. Without a valid, unexpired token there is nothing to see,
and a token is revoked early when its page, draft or editor's rights change
(core.preview_tokens); each refusal is a 404 whose `code` says which.
"""

from http import HTTPStatus

from django.core.signing import BadSignature, SignatureExpired
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import Page
from wagtail_headless_preview.models import PagePreview

from core import preview_tokens, visibility
from core.api_errors import error_response
from core.languages import Edition
from core.query import Param, Parameters
from digest.api import params
from digest.api.context import ApiContext
from digest.api.representers import represent_page
from digest.models import ArticlePage


def refused(code: str, message: str):
    response = error_response(HTTPStatus.NOT_FOUND, message, code=code)
    response["Cache-Control"] = "private, no-store"
    return response


_BOTH_REQUIRED = params.required_text("content_type and token are required")


class PagePreviewView(APIView):
    CONTRACT_DESCRIPTION = (
        "The admin's Preview button (page editor, preview panel, translation editor, week "
        "board) stores the draft and opens the frontend's preview URL (FRONTEND_PREVIEW_URL, "
        "default FRONTEND_BASE_URL/preview) with `content_type` and `token`; the frontend asks "
        "this endpoint with both and renders the draft exactly as a live page (a Belarusian "
        "draft with its edition's Russian fallbacks). The answer is `private, no-store`.\n\n"
        f"A token works for {preview_tokens.MAX_AGE_SECONDS // 3600} hours at most, and only "
        "while it still stands for the latest draft of its editor. Every refusal is a 404 whose "
        "`code` says why: `invalid` (unknown, forged or for another content type), `expired` "
        "(older than its lifetime), `revoked` (the page is gone, or whoever opened the preview "
        "may no longer edit it) or `outdated` (a later draft was saved: preview again). A "
        "missing parameter is a 400."
    )
    PARAMETERS = Parameters(
        Param("content_type", {"type": "string"}, "e.g. digest.articlepage", _BOTH_REQUIRED, True),
        Param("token", {"type": "string"}, "Signed preview token.", _BOTH_REQUIRED, True),
        params.INCLUDE,
        params.RICH_TEXT_TREE,
    )

    def get(self, request):
        values = self.PARAMETERS.parse(request)
        content_type, token = values["content_type"], values["token"]
        try:
            app_label, model_name = content_type.split(".")
        except ValueError as exc:
            raise BadRequestError("content_type must look like 'digest.articlepage'") from exc

        preview = (
            PagePreview.objects.filter(
                token=token,
                content_type__app_label=app_label,
                content_type__model=model_name.lower(),
            )
            .select_related("content_type")
            .first()
        )
        model = preview.content_type.model_class() if preview else None
        if model is None or not issubclass(model, Page):
            return refused("invalid", "No preview for this token.")
        try:
            signed = model.get_preview_signer().unsign(
                token, max_age=preview_tokens.MAX_AGE_SECONDS
            )
            preview_tokens.check(signed)
        except SignatureExpired:
            return refused("expired", "This preview has expired; open it again from the admin.")
        except BadSignature:
            return refused("invalid", "No preview for this token.")
        except preview_tokens.Refused as refusal:
            return refused(refusal.code, refusal.message)

        page = preview.as_page()
        if isinstance(page, ArticlePage):
            page.take_week_from_report()
        # The draft as its edition's readers will see it: a Belarusian week with its Russian
        # articles where the Belarusian ones are missing.
        edition = Edition.of(page.locale.language_code)
        api = ApiContext(
            visibility=visibility.for_request(request),
            language=edition.language,
            fallback=edition.fallback,
            request=request,
            preview=True,
            include=values["include"],
            rich_text_tree=values["rich_text_tree"],
        )
        response = Response(represent_page(page, api))
        # Drafts are for the person previewing only: never stored by a browser, proxy or CDN.
        response["Cache-Control"] = "private, no-store"
        return response
