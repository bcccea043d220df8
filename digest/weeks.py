"""Publication weeks (Monday to Sunday) and their localized names, built on CLDR data via babel."""

import datetime

from babel.dates import format_date
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def week_end_for(week_start: datetime.date) -> datetime.date:
    return week_start + datetime.timedelta(days=6)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def validate_monday(value: datetime.date) -> None:
    if value is not None and value.weekday() != 0:
        raise ValidationError(
            _("A week starts on a Monday; %(date)s is a %(weekday)s."),
            code="not_monday",
            params={
                "date": value.isoformat(),
                "weekday": format_date(value, "EEEE", locale=get_language() or "en"),
            },
        )


def format_week(week_start: datetime.date, language_code: str) -> str:
    """The week's name as the publication writes it in each language.

    English spells both months out ("September 11 – September 17, 2023"); Belarusian and
    Russian use the genitive month after the day ("11–17 верасня 2023"). CLDR's interval
    skeletons abbreviate the months, so the parts are assembled from full-month patterns.
    """
    start, end = week_start, week_end_for(week_start)
    if language_code == "en":
        if start.year == end.year:
            return (
                f"{format_date(start, 'MMMM d', locale='en')} – "
                f"{format_date(end, 'MMMM d, y', locale='en')}"
            )
        return (
            f"{format_date(start, 'MMMM d, y', locale='en')} – "
            f"{format_date(end, 'MMMM d, y', locale='en')}"
        )

    # 'MMMM' in a format (not stand-alone) pattern is the genitive month in be/ru CLDR data.
    if start.month == end.month:
        return f"{start.day}–{format_date(end, 'd MMMM y', locale=language_code)}"
    if start.year == end.year:
        return (
            f"{format_date(start, 'd MMMM', locale=language_code)} – "
            f"{format_date(end, 'd MMMM y', locale=language_code)}"
        )
    return (
        f"{format_date(start, 'd MMMM y', locale=language_code)} – "
        f"{format_date(end, 'd MMMM y', locale=language_code)}"
    )
