"""wagtail-localize's publishing doors, answered through the publish gate (core.publishing).

The translation editor's Publish and "Update translations" with "Publish immediately" would
rebuild a translated page, topic or author with English in place of every untranslated text and
publish it, whoever asks. Here each is published only when the gate lets it, and the person is
told why it was not.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail_localize.views.update_translations import UpdateTranslationsView

from core import publishing


def display_title(item) -> str:
    """A page's admin title, or a snippet's name."""
    title = getattr(item, "get_admin_display_title", None)
    return title() if title else str(item)


def refused_message(page, reason: str) -> str:
    return _("“%(title)s” (%(language)s) was not published: %(reason)s") % {
        "title": display_title(page),
        "language": page.locale.get_display_name(),
        "reason": reason,
    }


def publish_through_gate(request, translation, page) -> bool:
    """Publishes one translated page for `request.user`, or tells them why not."""
    try:
        publishing.publish_translation(translation, request.user, page)
    except publishing.PublishRefused as refused:
        messages.error(request, refused_message(page, refused.reason))
        return False
    except ValidationError as error:
        messages.error(request, refused_message(page, " ".join(error.messages)))
        return False
    return True


def translation_editor_publish(request, page):
    """The translation editor's Publish button (a POST to the page's or snippet's edit URL)."""
    translation = publishing.managed_translation(page)
    if translation is None:
        return None
    if publish_through_gate(request, translation, page):
        messages.success(
            request,
            _("Published “%(title)s” in %(language)s.")
            % {"title": display_title(page), "language": page.locale.get_display_name()},
        )
    return redirect(request.get_full_path())


class GatedUpdateTranslationsView(UpdateTranslationsView):
    """Updates the English that translators see; publishes only what may go live."""

    def form_valid(self, form):
        publish = form.cleaned_data.get("publish_translations")
        form.cleaned_data["publish_translations"] = False
        response = super().form_valid(form)
        if not publish:
            return response
        for translation in self.object.translations.filter(enabled=True).select_related(
            "source", "target_locale"
        ):
            try:
                target = translation.get_target_instance()
            except ObjectDoesNotExist:
                continue
            publish_through_gate(self.request, translation, target)
        return response
