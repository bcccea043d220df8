"""The contract's reference page renders a week and an article in each language, in Chromium.

The page (frontend_contract/reference/) only uses the generated TypeScript client, so this proves
a frontend can be built from the contract alone.
"""

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from digest.demo import DemoLoader

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONTRACT = Path(__file__).resolve().parents[2] / "frontend_contract"
FIXTURE_CONTENT = Path(__file__).resolve().parents[1] / "fixtures" / "demo_content"
BUNDLE = CONTRACT / "reference" / "dist" / "reference.js"


@pytest.fixture(scope="session")
def reference_bundle():
    """The reference page's script, built from TypeScript with the project's npm tooling."""
    if not (CONTRACT / "node_modules").exists():
        message = "run `npm ci` in frontend_contract/ (make test does) to build the reference page"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    subprocess.run(
        [shutil.which("npm") or "npm", "run", "--silent", "build"], cwd=CONTRACT, check=True
    )
    return BUNDLE


@pytest.fixture
def reference_site(reference_bundle, settings):
    """Serves frontend_contract/reference/ from its own origin, allowed by CORS."""
    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(CONTRACT / "reference")
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CORS_ALLOWED_ORIGINS = [origin]
    yield origin
    server.shutdown()
    server.server_close()


EXPECTED = {
    # locale: (week title, first article's topic, a word of the first article's title)
    "en": ("September 11 – September 17, 2023", "Security issues", "Wagner"),
    # No Belarusian text for this one: Russian text under Belarusian labels.
    "be": ("11–17 верасня 2023", "Пытанні бяспекі", "Вагнер"),
    "ru": ("11–17 сентября 2023", "Вопросы безопасности", "Вагнер"),
}


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_the_reference_page_renders_a_week_and_an_article(
    language, reference_site, live_server, chromium, artifacts
):
    DemoLoader(FIXTURE_CONTENT).load()
    context = chromium.new_context()
    page = context.new_page()
    page.goto(
        f"{reference_site}/index.html?api={live_server.url}&locale={language}&week=2023-09-11"
    )
    page.wait_for_selector("main[aria-busy=false]")
    page.screenshot(path=artifacts / f"reference-page-{language}.png", full_page=True)

    week_title, topic, title_word = EXPECTED[language]
    assert page.get_attribute("main", "data-error") is None, page.inner_text("main")
    assert page.inner_text(".week-title") == week_title
    summaries = page.locator(".article-summary")
    assert summaries.count() == 2
    assert page.locator(".article .meta").inner_text().startswith(topic)
    assert title_word in page.inner_text(".article-title")
    assert page.locator(".article .paragraph").count() >= 2
    assert "linktype" not in page.inner_html(".article")
    if language == "be":
        # The security article has no Belarusian text: shown in Russian, marked as such.
        assert page.locator(".article-summary .fallback").all_inner_texts() == ["ru"]
        assert page.get_attribute(".article", "lang") == "ru"
    context.close()
