"""gunicorn's settings for the CMS: `gunicorn --config python:cms.gunicorn_conf cms.wsgi`.

Command-line options (--bind, --workers) still override these.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# A query string may carry a token of up to 500 characters (a newsletter or preview link),
# which percent-encodes to up to 6,000 bytes: gunicorn's default request line (4,094 bytes)
# would answer such a request with its own HTML error page. 8,190 is gunicorn's maximum.
limit_request_line = 8190
# Slow clients are the web server's (nginx, Caddy) business; a hung request frees its worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
