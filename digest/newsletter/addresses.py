"""Addresses as readers type them: validated, and normalized so one mailbox subscribes once."""

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 254  # RFC 5321's limit on a forward path, which is what an SMTP server enforces

_validate_email = EmailValidator(message=_("Enter a valid e-mail address."))


def _ascii_domain(domain: str) -> str:
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError(_("Enter a valid e-mail address."), code="invalid") from exc


def clean_address(raw: str) -> tuple[str, str]:
    """Returns (address as given, normalized form) or raises ValidationError.

    Internationalized domains are accepted (Django's validator checks their IDNA form, as SMTP
    will use); the normalized form is lower-case with the domain in IDNA, for uniqueness.
    """
    # Checked before trimming: a line break anywhere is an attempt at header injection.
    if "\r" in raw or "\n" in raw:
        raise ValidationError(_("An e-mail address cannot contain line breaks."), code="invalid")
    address = raw.strip()
    if len(address) > MAX_LENGTH:
        raise ValidationError(
            _("An e-mail address has at most %(max)d characters.") % {"max": MAX_LENGTH},
            code="max_length",
        )
    _validate_email(address)
    local, _at, domain = address.rpartition("@")
    normalized = f"{local}@{_ascii_domain(domain)}".lower()
    if len(normalized) > MAX_LENGTH:
        raise ValidationError(
            _("An e-mail address has at most %(max)d characters.") % {"max": MAX_LENGTH},
            code="max_length",
        )
    return address, normalized
