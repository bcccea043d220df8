"""What a preview token stands for, and when it stops working before its 24 hours are up.

A token (wagtail-headless-preview's signed identifier) names the page — or, for a page not yet
saved, its parent and type —, the revision the draft was built on and the editor who opened
it. It works only while all of that still holds: the page exists, its latest revision is still
the one previewed (a later save makes an older preview "outdated"), and the editor's account is
active and may still edit the page (or add it under the parent). So deleting a page, removing
an editor from a group or deactivating their account revokes their links at once.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from wagtail.models import Page

MAX_AGE_SECONDS = 24 * 60 * 60
NOBODY = 0


@dataclass
class Refused(Exception):
    code: str  # one of Error.code in the contract: invalid, expired, revoked, outdated
    message: str


def identifier(page: Page, issuer) -> str:
    """The signed part of a token for a preview of `page` opened by `issuer`."""
    user = issuer.pk if issuer is not None and issuer.is_authenticated else NOBODY
    if page.pk is None:
        return f"parent_id={page.get_parent().pk};page_type={page._meta.label};user={user}"
    return f"id={page.pk};revision={page.latest_revision_id or 0};user={user}"


def check(signed_identifier: str) -> None:
    """Raises Refused unless the preview may still be shown."""
    try:
        fields = dict(part.split("=", 1) for part in signed_identifier.split(";"))
        user_id = int(fields["user"])
        page_id = int(fields.get("id") or fields["parent_id"])
    except (KeyError, ValueError) as exc:
        # Tokens issued before previews named their editor say nothing of who may see them.
        raise Refused("invalid", "This preview link is no longer valid; open it again.") from exc
    issuer = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    page = Page.objects.filter(pk=page_id).first()
    if issuer is None or page is None:
        raise Refused("revoked", _REVOKED)
    permissions = page.permissions_for_user(issuer)
    if "id" in fields:
        if not permissions.can_edit():
            raise Refused("revoked", _REVOKED)
        if fields.get("revision") != str(page.latest_revision_id or 0):
            raise Refused(
                "outdated", "This preview shows an older draft; open it again from the admin."
            )
    elif not permissions.can_add_subpage():
        raise Refused("revoked", _REVOKED)


_REVOKED = (
    "This preview was withdrawn: the page is gone, or whoever opened it may no longer edit it."
)
