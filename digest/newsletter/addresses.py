"""Addresses as readers type them: validated, and normalized so one mailbox subscribes once."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, which is what an SMTP server enforces

INVALID = _("Enter a valid e-mail address.")


def clean_address(raw: str) -> tuple[str, str]:
    """Returns (address to write to, normalized form) or raises ValidationError.

    email-validator checks the address as mail servers will read it (no control characters,
    internationalized domains in their IDNA form) and writes it in its canonical form:
    `"abc"@example.org` is `abc@example.org`, one mailbox, so one subscriber. The normalized form
    is that address lower-cased with the domain in IDNA, for uniqueness.
    """
    # Checked before trimming: a line break anywhere is an attempt at header injection.
    if "\r" in raw or "\n" in raw:
        raise ValidationError(_("An e-mail address cannot contain line breaks."), code="invalid")
    address = raw.strip()
    if len(address) > MAX_LENGTH:
        raise too_long()
    try:
        valid = validate_email(address, check_deliverability=False, allow_quoted_local=True)
    except EmailNotValidError as exc:
        raise ValidationError(INVALID, code="invalid") from exc
    normalized = f"{valid.local_part}@{valid.ascii_domain}".lower()
    if len(valid.normalized) > MAX_LENGTH or len(normalized) > MAX_LENGTH:
        raise too_long()
    return valid.normalized, normalized


def too_long() -> ValidationError:
    return ValidationError(
        ngettext(
            "An e-mail address has at most %(max)d character.",
            "An e-mail address has at most %(max)d characters.",
            MAX_LENGTH,
        )
        % {"max": MAX_LENGTH},
        code="max_length",
    )
