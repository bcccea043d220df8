"""Submitting the article editor the way a browser does."""

from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield


def submit_article_body(client, article, blocks, action="action-publish"):
    """Posts the article's edit form with its body replaced by `blocks` ((type, value) pairs)."""
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    data = querydict_from_html(client.get(url).content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield(blocks)}))
    data[action] = action
    return client.post(url, data)
