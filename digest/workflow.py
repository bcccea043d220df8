"""What an approved workflow does (settings: WAGTAIL_FINISH_WORKFLOW_ACTION).

An article whose week is not live yet is approved *for its week*: it stays a draft and goes
live with "Publish the week" (digest.desk.publishing). Anything else — a correction to an
article of a live week, a live week's summary — is published at once, as Wagtail does, through
the publish gate (core.publishing).

Wagtail imports this while it defines its own models, so nothing here imports a model at the
top of the module.
"""


def finish_workflow(workflow_state, user=None):
    page = workflow_state.content_object.specific
    if getattr(page, "publication_refusal", None) and page.publication_refusal(None, user):
        return
    page.get_latest_revision().publish(user=user)
