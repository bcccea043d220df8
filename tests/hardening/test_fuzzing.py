"""Fuzzing: schemathesis sends generated requests — valid and invalid — to every operation of the
published contract (frontend_contract/openapi.json) on a live production server holding the demo
site, and checks each answer: never a server error, and every answer as the contract describes
it (status code, content type, headers, body schema).

The server runs in its own SQLite database, built from the migrations and the demo content, so
the run does not depend on (or disturb) the test database. The budget is bounded:
FUZZ_MAX_EXAMPLES generated cases per operation and seed (default 50).
Two fixed seeds (FUZZ_SEEDS to try others), so a run is repeatable; on a failure, schemathesis
prints the failing request as a curl command. The stateful phase chains calls along the links
schemathesis infers from the contract, and half of the ids, paths and preview tokens it sends
are real ones from the demo (its dictionaries, written to a config file per run).
"""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.hardening.live import ROOT, app_server, manage

CONTRACT = ROOT / "frontend_contract" / "openapi.json"
# What "the contract holds" means; the other checks judge API design choices (e.g. that any
# value the schema allows is accepted), not whether an answer is right.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs once per CI run, in the SQLite pass (it builds its own SQLite database)",
)


# Real values of the demo site for the fuzzer to mix in (schemathesis dictionaries), so that
# detail, find and preview operations are reached with found pages, not only 404s.
REAL_VALUES = """
import json
from django.contrib.auth import get_user_model
from wagtail.images import get_image_model
from wagtail.models import Page
from core.paths import frontend_path
from digest.models import ArticlePage
pages = list(Page.objects.live().filter(depth__gt=1).select_related("locale")[:20])
images = list(get_image_model().objects.values_list("id", flat=True)[:5])
article = ArticlePage.objects.live().first()
editor = get_user_model().objects.create_superuser("fuzz-editor", "fuzz@example.org", "x" * 20)
print(json.dumps({
    "ids": [page.id for page in pages] + images,
    "html_paths": [frontend_path(page.url_path, page.locale.language_code) for page in pages],
    "tokens": [article.create_page_preview(issuer=editor).token],
}))
"""
SEEDS = os.environ.get("FUZZ_SEEDS", "20231127 1").split()


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    environment = {"DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}"}
    manage(environment, "migrate", "--noinput")
    manage(environment, "load_demo")
    real = json.loads(
        manage(environment, "shell", "--no-imports", "-c", REAL_VALUES).strip().splitlines()[-1]
    )
    config = folder / "schemathesis.toml"
    config.write_text(fuzz_config(real))
    with app_server(**environment) as url:
        yield url, config


def fuzz_config(real: dict) -> str:
    """Half of the generated ids, paths and tokens are the demo's own."""
    lines = []
    for name, values in (
        ("ids", real["ids"]),
        ("paths", real["html_paths"]),
        ("tokens", real["tokens"]),
    ):
        lines += [f"[dictionaries.{name}]", f"values = {json.dumps(values)}", ""]
    lines += [
        "[parameters]",
        '"path.id" = { dictionary = "ids", probability = 0.5 }',
        '"query.html_path" = { dictionary = "paths", probability = 0.5 }',
        '"query.token" = { dictionary = "tokens", probability = 0.5 }',
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", SEEDS)
def test_no_generated_request_gets_a_server_error_or_an_answer_outside_the_contract(
    demo_server, seed
):
    url, config = demo_server
    examples = os.environ.get("FUZZ_MAX_EXAMPLES", "50")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--no-color",
            f"--config-file={config}",
            "run",
            str(CONTRACT),
            f"--url={url}",
            f"--checks={','.join(CHECKS)}",
            f"--max-examples={examples}",
            # Stateful: chains of calls whose links schemathesis infers from the contract
            # (a listing's ids into the detail, …).
            "--phases=examples,coverage,fuzzing,stateful",
            f"--seed={seed}",
            # One worker: with several, Python 3.11's parser, which hypothesis calls from each
            # worker thread, intermittently fails inside schemathesis itself.
            "--workers=1",
            "--request-timeout=30",
            "--suppress-health-check=all",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SCHEMATHESIS_HOOKS": ""},
    )
    summary = result.stdout[-20_000:]
    assert result.returncode == 0, summary
    # Every operation of the contract was exercised, none skipped or filtered out.
    operations = sum(len(methods) for methods in json.loads(CONTRACT.read_text())["paths"].values())
    tested = re.search(r"Tested: (\d+)", summary)
    assert tested and int(tested.group(1)) == operations, summary
