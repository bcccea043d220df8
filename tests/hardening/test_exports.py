"""Every admin export × hostile cell values: a spreadsheet program opens them as data."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.admin.viewsets import viewsets
from wagtail.snippets.models import get_snippet_models

from core.spreadsheets import SafeSpreadsheetExportMixin
from digest.newsletter.addresses import clean_address
from digest.newsletter.models import Subscriber

# Valid addresses, as the public subscribe form accepts them, that start like formulas.
FORMULA_ADDRESSES = [
    "=cmd|'/Ccalc'!A0@example.org",
    "+1+cmd@example.org",
    "-2+3@example.org",
    "%0A@example.org",
    "|calc@example.org",
]


OUR_APPS = ("core.", "digest.", "home.", "search.", "cms.")


def exporting_view_sets():
    """Every admin view set of ours that offers an export. (Wagtail's own exports, of pages,
    users, groups, sites and locales, hold what staff typed; they are left as Wagtail makes
    them, noted in issue 14's closing note.)"""
    snippets = [model.snippet_viewset for model in get_snippet_models()]
    return [
        view_set
        for view_set in [*viewsets.viewsets, *snippets]
        if getattr(view_set, "list_export", None) and type(view_set).__module__.startswith(OUR_APPS)
    ]


def test_every_admin_export_neutralises_its_cells():
    exporting = exporting_view_sets()

    assert exporting, "no admin view set offers an export: this test would check nothing"
    unsafe = [
        view_set
        for view_set in exporting
        if not issubclass(view_set.index_view_class, SafeSpreadsheetExportMixin)
    ]
    assert unsafe == []


@pytest.fixture
def signed_in(admin_user, client):
    client.force_login(admin_user)
    return client


def subscribe(address):
    email, normalized = clean_address(address)
    return Subscriber.objects.create(email=email, email_normalized=normalized, locale="en")


def exported(client, export_format):
    return client.get(reverse("newsletter_subscriber:index"), {"export": export_format})


@pytest.mark.django_db
def test_a_csv_cell_that_starts_like_a_formula_is_written_as_text(signed_in):
    for address in FORMULA_ADDRESSES:
        subscribe(address)

    response = exported(signed_in, "csv")
    rows = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))

    assert sorted(row["E-mail address"] for row in rows) == sorted(
        f"'{address}" for address in FORMULA_ADDRESSES
    )


@pytest.mark.django_db
def test_an_xlsx_export_holds_every_cell_even_characters_xml_cannot(signed_in):
    # Stored before addresses were validated and stored text cleaned (so: around save()).
    old = Subscriber.objects.create(email="old@example.org", email_normalized="xy", locale="en")
    Subscriber.objects.filter(pk=old.pk).update(email='"x\x01y"@example.org')
    subscribe(FORMULA_ADDRESSES[0])

    response = exported(signed_in, "xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    addresses = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert addresses == ['"x\ufffdy"@example.org', FORMULA_ADDRESSES[0]]


@pytest.mark.parametrize(
    "spellings",
    [
        ['"reader"@example.org', "reader@example.org", "Reader@Example.ORG"],
        ["reader@bücher.example", "reader@xn--bcher-kva.example"],
    ],
)
def test_one_mailbox_however_it_is_spelled_is_one_address(spellings):
    assert len({clean_address(spelling)[1] for spelling in spellings}) == 1


@pytest.mark.parametrize("address", ['"x\x01y"@example.org', '"tab\there"@example.org', "a@b@c"])
def test_an_address_mail_servers_would_refuse_is_refused(address):
    with pytest.raises(ValidationError, match="valid e-mail address"):
        clean_address(address)
