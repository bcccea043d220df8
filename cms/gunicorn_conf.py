"""gunicorn's settings for the CMS: `gunicorn --config python:cms.gunicorn_conf cms.wsgi`.

Command-line options (--bind, --workers) still override these.
"""

import json
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# A query string may carry a token of up to 500 characters (a newsletter or preview link),
# which percent-encodes to up to 6,000 bytes: gunicorn's default request line (4,094 bytes)
# would answer such a request with its own HTML error page. 8,190 is gunicorn's maximum.
limit_request_line = 8190
# Slow clients are the web server's (nginx, Caddy) business; a hung request frees its worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))


def on_starting(server):
    """gunicorn answers what it cannot parse (a request line over the limit, headers too large
    or malformed) itself, before Django sees the request, with an HTML page; clients of the API
    get our JSON error shape instead. gunicorn has no setting or hook for that page, so its one
    writer of it is replaced, in the master, before the workers fork."""
    from gunicorn import util

    util.write_error = write_json_error


def write_json_error(sock, status_int, reason, mesg):
    from gunicorn import util

    message = f"{reason}: {mesg}" if mesg else reason
    body = json.dumps({"message": message, "status": status_int}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        "Cache-Control: no-store\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin1") + body)
