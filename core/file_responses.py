"""File responses (documents) without the literal `Content-Encoding: None` that Wagtail's
sendfile helper sets for files whose type has no encoding — a header that tells clients the
body is encoded with a scheme called "None"."""


class NoBogusContentEncodingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.get("Content-Encoding") in ("None", ""):
            del response["Content-Encoding"]
        return response
