from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class PublishWeekForm(forms.Form):
    go_live_at = forms.DateTimeField(
        label=_("Go live at"),
        required=False,
        input_formats=[DATETIME_LOCAL_FORMAT],
        # The browser's own date-time picker: no admin JavaScript needed on the board.
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT),
        help_text=_("Leave empty to publish now."),
    )

    def clean_go_live_at(self):
        go_live_at = self.cleaned_data["go_live_at"]
        if go_live_at is not None and go_live_at <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or leave it empty."))
        return go_live_at
