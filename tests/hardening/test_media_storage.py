"""With a bucket configured, every app server reads and writes media on S3-compatible storage.

Tested against moto's S3 server on 127.0.0.1, configured exactly as the settings configure it.
"""

import io
import json

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer
from PIL import Image
from wagtail_factories import DocumentFactory

from digest.models import CreditedImage, CreditedRendition
from tests.home.test_settings import settings_value

BUCKET = "situation-desk-media"
# The bucket policy the README recommends: renditions (what the API links to) are public;
# originals and documents are not.
PUBLIC_RENDITIONS = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/images/*",
        }
    ],
}


@pytest.fixture
def s3(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local-test-secret")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_RENDITIONS))
    yield endpoint, client
    server.stop()


@pytest.fixture
def media_on_s3(s3, settings, monkeypatch):
    endpoint, client = s3
    result = settings_value(
        "test",
        "__import__('json').dumps(settings.STORAGES)",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
    )
    assert result.returncode == 0, result.stderr
    settings.STORAGES = json.loads(result.stdout.splitlines()[-1])
    # Django resolves a field's storage once, when the model loads; a server started with the
    # bucket configured has it there from the start.
    monkeypatch.setattr(
        CreditedRendition._meta.get_field("file"), "storage", storages["renditions"]
    )
    return endpoint, client


def stored_keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def png(size) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 60, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_uploaded_photo_and_its_renditions_live_in_the_bucket(admin_client, media_on_s3):
    endpoint, client = media_on_s3

    response = admin_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Checkpoint",
            "file": SimpleUploadedFile("checkpoint.png", png((640, 480)), "image/png"),
            "credit": "Photo: kremlin.ru",
        },
    )
    image = CreditedImage.objects.get()
    rendition = image.get_rendition("fill-120x90")
    served = requests.get(rendition.url, timeout=10)
    original = requests.get(image.file.url, timeout=10)

    assert response.status_code == 302
    assert {image.file.name, rendition.file.name} <= stored_keys(client)
    assert image.file.name.startswith("original_images/")
    assert rendition.url.startswith(f"{endpoint}/{BUCKET}/images/")
    assert "X-Amz-Signature" not in rendition.url
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (120, 90)
    assert original.status_code == 403


@pytest.mark.django_db
def test_documents_in_the_bucket_are_served_through_the_cms(client, media_on_s3):
    _endpoint, client_s3 = media_on_s3
    document = DocumentFactory(file=ContentFile(b"%PDF-1.4 statement", name="statement.pdf"))

    response = client.get(document.url)

    assert document.file.name in stored_keys(client_s3)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 statement"
