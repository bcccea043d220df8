"""Only what may be public is kept where files are served: a document, whatever its collection,
is reached only through the view that checks the collection's privacy.

MEDIA_ROOT (served at MEDIA_URL, by the web server in production and by `make run`) holds the
renditions; PRIVATE_MEDIA_ROOT, which nothing serves, the original uploads and the documents.
"""

import importlib
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.conf.urls.static import static
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.models import Collection, CollectionViewRestriction
from wagtail_factories import DocumentFactory

from digest.factories import CreditedImageFactory

pytestmark = pytest.mark.django_db


def served_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def embargoed():
    collection = Collection.get_first_root_node().add_child(name="Embargoed")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def test_a_private_document_is_nowhere_under_the_served_media_folder(embargoed):
    document = DocumentFactory(
        collection=embargoed, file=ContentFile(b"%PDF-1.4 embargoed", name="embargoed.pdf")
    )

    assert document.file.name not in served_files()
    assert Path(settings.PRIVATE_MEDIA_ROOT, document.file.name).read_bytes() == (
        b"%PDF-1.4 embargoed"
    )


def test_original_uploads_stay_private_and_only_renditions_are_served():
    image = CreditedImageFactory()
    rendition = image.get_rendition("fill-120x90")

    served = served_files()
    assert rendition.file.name in served
    assert image.file.name not in served
    assert not [name for name in served if not name.startswith("images/")]
    assert rendition.url == f"{settings.MEDIA_URL}{rendition.file.name}"
    assert Path(settings.PRIVATE_MEDIA_ROOT, image.file.name).is_file()


@override_settings(DEBUG=True)
def test_make_run_serves_renditions_but_no_document_at_a_media_url(client, embargoed):
    document = DocumentFactory(collection=embargoed, file=ContentFile(b"x", name="secret.pdf"))
    rendition = CreditedImageFactory().get_rendition("fill-120x90")

    with override_settings(ROOT_URLCONF=media_urls()):
        as_file = client.get(f"{settings.MEDIA_URL}{document.file.name}")
        image = client.get(rendition.url)

    assert as_file.status_code == 404
    assert image.status_code == 200


def media_urls():
    """A URLconf with what cms/urls.py adds for `make run` (DEBUG), built for this test."""
    module = types.ModuleType("media_urls")
    module.urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    return module


def test_only_the_collections_view_hands_out_a_private_document(client, admin_client, embargoed):
    document = DocumentFactory(collection=embargoed, file=ContentFile(b"secret", name="s.pdf"))

    anonymous = client.get(document.url)
    signed_in = admin_client.get(document.url)

    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"] or "/_util/login/" in anonymous["Location"]
    assert b"".join(signed_in.streaming_content) == b"secret"


def test_an_older_installations_private_uploads_move_out_of_the_served_folder(tmp_path, settings):
    served, private = tmp_path / "media", tmp_path / "private"
    (served / "documents").mkdir(parents=True)
    (served / "documents" / "minutes.pdf").write_bytes(b"minutes")
    (served / "original_images").mkdir()
    (served / "original_images" / "photo.jpg").write_bytes(b"photo")
    (served / "images").mkdir()
    (served / "images" / "photo.fill-120x90.jpg").write_bytes(b"rendition")
    settings.MEDIA_ROOT = str(served)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(private)},
        },
    }
    migration = importlib.import_module("core.migrations.0003_private_media")

    migration.move_private_folders(apps=None, schema_editor=None)

    assert (private / "documents" / "minutes.pdf").read_bytes() == b"minutes"
    assert (private / "original_images" / "photo.jpg").read_bytes() == b"photo"
    assert sorted(p.name for p in served.iterdir()) == ["images"]
