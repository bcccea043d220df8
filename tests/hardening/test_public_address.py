"""The CMS links to itself where it actually runs: `make serve PORT=…` (what `make run` ends in)
serves on that port, and every absolute URL the API emits — an image's renditions, its
`detail_url` — starts with that address, so a frontend can fetch them."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from json import loads

from tests.hardening.live import ROOT

CREATE_IMAGE = """
from django.core.files.images import ImageFile
from io import BytesIO
from PIL import Image
from digest.models import CreditedImage
buffer = BytesIO()
Image.new("RGB", (1200, 800), "steelblue").save(buffer, "JPEG")
CreditedImage.objects.create(
    title="Silene checkpoint", credit="A photographer",
    file=ImageFile(buffer, name="silene.jpg"),
)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (localhost only)
        return response.status, response.headers["Content-Type"], response.read()


def wait_until_serving(url: str, process, seconds: int = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make serve exited with {process.returncode}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.2)  # polling for a socket to open, not timing behaviour
    raise AssertionError(f"nothing answered on {url}")


def test_make_serve_on_another_port_links_its_renditions_to_that_port(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "WAGTAIL", "MEDIA_"))
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    python = [sys.executable, "manage.py"]
    subprocess.run(
        [*python, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run([*python, "shell", "-c", CREATE_IMAGE], cwd=ROOT, env=env, check=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until_serving(f"{base}/healthz", server)
        _status, _type, body = get(f"{base}/api/v2/images/")
        (image,) = loads(body)["items"]
        assert image["meta"]["detail_url"] == f"{base}/api/v2/images/{image['id']}/"
        rendition = image["renditions"][0]["url"]
        assert rendition.startswith(f"{base}/media/"), rendition

        status, content_type, data = get(rendition)
        assert status == 200
        assert content_type.startswith("image/")
        assert len(data) > 1000
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
