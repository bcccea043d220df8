"""Health probes for load balancers and orchestrators.

- `GET /healthz`: the process is alive. Touches nothing (no database, cache or session), so it
  stays cheap under any load and never fails because a dependency did.
- `GET /readyz`: the instance can serve: the database answers, every migration is applied, and
  the cache is checked too. 503 when the database or migrations are not ready; a broken cache is
  reported but keeps the instance in rotation, because the CMS serves uncached without Redis and
  pulling every app server for a shared cache outage would turn a slowdown into downtime.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"


def healthz(request):
    return JsonResponse({"status": OK}, headers={"Cache-Control": "no-store"})


def _check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def _check_migrations() -> str:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return OK if not plan else "pending"


def _check_cache() -> str:
    # A value unique to this probe, so a stale key or a cache that swallows errors
    # (django-redis IGNORE_EXCEPTIONS) cannot pass for a working one.
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, key, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return OK if found == key else ERROR


def _run(check) -> str:
    try:
        return check()
    except Exception:  # a probe reports failures, whatever they are, instead of raising them
        logger.exception("Readiness check %s failed", check.__name__)
        return ERROR


def readyz(request):
    checks = {"database": _run(_check_database)}
    checks["migrations"] = _run(_check_migrations) if checks["database"] == OK else ERROR
    checks["cache"] = _run(_check_cache)
    if checks["database"] != OK or checks["migrations"] != OK:
        status, http_status = "unavailable", 503
    elif checks["cache"] != OK:
        status, http_status = "degraded", 200
    else:
        status, http_status = OK, 200
    return JsonResponse(
        {"status": status, "checks": checks},
        status=http_status,
        headers={"Cache-Control": "no-store"},
    )


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthProbeMiddleware:
    """Answers the probes before the rest of the middleware runs.

    Probes come from load balancers over plain HTTP, often with an IP address as Host: they must
    not be redirected to HTTPS, refused by ALLOWED_HOSTS, or pay for sessions, CSRF, locale and
    CSP. cms/urls.py routes the same views, so they also work (and reverse) without this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
