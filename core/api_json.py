"""The API's JSON is compact: Wagtail's endpoints indent theirs by four spaces, a third of the
bytes of a listing, which no program reading it needs (a person reading it has jq)."""


class CompactJSON:
    """For Wagtail API viewsets: no indentation in what they render."""

    def get_renderer_context(self):
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context
