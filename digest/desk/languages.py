"""The languages the desk works in: English is the source, the others are translations."""

from django.utils.translation import get_language, get_language_info
from wagtail.models import Locale

from core.languages import LANGUAGES, SOURCE_LANGUAGE


def desk_languages() -> list[str]:
    """Every content language, the source first."""
    return [SOURCE_LANGUAGE, *(code for code in LANGUAGES if code != SOURCE_LANGUAGE)]


def translation_languages() -> list[str]:
    return desk_languages()[1:]


def language_name(language_code: str) -> str:
    """The language's name in the admin user's language ("Belarusian", "беларуская", …)."""
    return get_language_info(language_code)["name_translated"]


def locales_for(language_codes) -> list[Locale]:
    by_code = {locale.language_code: locale for locale in Locale.objects.all()}
    return [by_code[code] for code in language_codes if code in by_code]


def admin_language() -> str:
    """The admin user's language when it is one of ours (week names exist only for those)."""
    code = (get_language() or SOURCE_LANGUAGE).split("-")[0]
    return code if code in desk_languages() else SOURCE_LANGUAGE
