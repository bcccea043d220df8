"""The Wagtail admin keeps working in a real browser under its Content-Security-Policy."""

import re

import pytest
from playwright.sync_api import expect

from digest.factories import ArticlePageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


def test_sign_in_and_the_article_editor_work_under_the_policy(open_browser, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    article = ArticlePageFactory()
    new_article = f"/admin/pages/add/digest/articlepage/{article.get_parent().pk}/"

    page = open_browser()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "CSP violation" in message.text else None
        ),
    )
    page.add_init_script(REPORT_VIOLATIONS)
    sign_in = page.goto("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/pages/{article.pk}/edit/")
    # These widgets exist only once the admin's scripts (inline ones too) have run.
    expect(page.locator(".Draftail-Editor").first).to_be_visible()
    page.get_by_text("Add author").click()
    expect(page.locator("#id_authors-1-author-chooser")).to_be_attached()
    page.goto(new_article)
    page.locator("#id_photo-chooser button[data-chooser-action-choose]").click()
    expect(page.locator(".modal-content")).to_be_visible()

    assert "script-src 'self' 'unsafe-inline'" in sign_in.headers["content-security-policy"]
    assert violations == []
