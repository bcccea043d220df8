"""Benchmark: the API under load on a 1-year and a 10-year archive (`make bench`).

For each archive (52 and 520 weeks × 5 topics × en/be/ru, generated in bulk by bench/archive.py
into PostgreSQL databases `bench_api_1y` / `bench_api_10y` from `bench_api_base`, which holds
the migrated schema and the demo archive; the generated articles get the demo's photos and
analysts), it serves the CMS with gunicorn (2 workers, production settings, Redis cache) and
loads it with wrk from a second process, in rounds: every round measures the trivial
`/healthz` (the ceiling), then each endpoint. It prints, per endpoint: requests/s, p50 and p95
latency, SQL queries per request on a cache miss and on a hit (counted separately with
Django's test client), the p50 latency of first requests (cache misses: URLs never requested
before), the share of the ceiling's throughput (median of the rounds' shares) and the target
from issue 7; then the gunicorn workers' RSS and the growth of latency from 1 to 10 years.
Writes everything to bench-results/api.json; exits 1 when a target is missed.

    .venv/bin/python bench/api_bench.py [--duration 5] [--rounds 3] [--reuse]

Needs PostgreSQL and Redis on 127.0.0.1 (BENCH_POSTGRES_URL, BENCH_REDIS_URL) and `wrk`
(installed with apt-get when missing).
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
BASE_DATABASE = "bench_api_base"
ARCHIVES = {"1y": 52, "10y": 520}
WORKERS = 2
CONNECTIONS = 8
COLD_SAMPLES = 25
RSS_LIMIT_MB = 250
GROWTH_LIMIT = 1.3
GROWTH_ROWS = ("detail", "find", "listing")
# Row → (label, minimum share of the ceiling's throughput), as in issue 7.
ROWS = {
    "healthz": ("/healthz (ceiling)", None),
    "detail": ("article detail", 0.70),
    "find": ("find by path", 0.70),
    "listing": ("listing of 20, fields=*", 0.50),
    "search": ("search", None),
    "not_modified": ("304 revalidation", 0.80),
    "report": ("report with its articles", 0.50),
}
# Hardening (issue 8): a soak on a mixed read workload at many connections, while a single
# client floods the newsletter's subscribe endpoint; neither may produce an error.
SOAK_SECONDS = 60
SOAK_CONNECTIONS = 64
ABUSE_PER_SECOND = 20
WRK_MIXED = """
local requests = {}
init = function(args)
  for index, line in ipairs(args) do
    local etag, path = line:match("^(.-)|(.*)$")
    local headers = {}
    if etag ~= "" then headers["If-None-Match"] = etag end
    requests[index] = wrk.format("GET", path, headers)
  end
  counter = 0
end
request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
"""
WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "http_errors": %d, '
    .. '"p50_us": %d, "p95_us": %d}\\n',
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(95)))
end
"""


# ---- environments ---------------------------------------------------------------------------


def database_url(name: str) -> str:
    return f"{POSTGRES_URL}/{name}"


def clean_environment() -> dict:
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "AWS_", "SECURE_"))
    }


def build_environment(database: str) -> dict:
    """Development settings on the benchmark database, for preparing it."""
    return {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DATABASE_URL": database_url(database),
        "LOG_LEVEL": "WARNING",
    }


def production_environment(database: str, redis_url: str | None = REDIS_URL) -> dict:
    """The production settings, as a deployment on this machine would run them (plain HTTP)."""
    environment = {
        **clean_environment(),
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(database),
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        environment["REDIS_URL"] = redis_url
    return environment


def run(command: list[str], environment: dict) -> str:
    result = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def manage(environment: dict, *arguments: str) -> str:
    return run([sys.executable, "manage.py", *arguments], environment)


# ---- databases ------------------------------------------------------------------------------


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def database_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def prepare_base() -> None:
    """The schema and the demo archive, with its renditions and search index."""
    print(f"Preparing {BASE_DATABASE}: migrations and the demo archive …", flush=True)
    admin_sql(f"DROP DATABASE IF EXISTS {BASE_DATABASE}", f"CREATE DATABASE {BASE_DATABASE}")
    environment = build_environment(BASE_DATABASE)
    manage(environment, "migrate", "--noinput")
    run([sys.executable, __file__, "--load-demo"], environment)


def prepare_archive(name: str, weeks: int) -> None:
    print(f"Preparing {name}: {weeks} weeks …", flush=True)
    admin_sql(f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name} TEMPLATE {BASE_DATABASE}")
    environment = build_environment(name)
    started = time.perf_counter()
    print(
        "  " + run([sys.executable, "bench/archive.py", "--weeks", str(weeks)], environment).strip()
    )
    print("  " + run([sys.executable, __file__, "--dress"], environment).strip())
    print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)
    if search_exists():
        started = time.perf_counter()
        manage(environment, "update_index")
        print(f"  search index rebuilt in {time.perf_counter() - started:.1f} s", flush=True)


def search_exists() -> bool:
    return (ROOT / "search" / "urls.py").exists()


def load_demo() -> None:
    """(In a child process with Django set up.) The demo archive, with background work inline."""
    import django
    from django.test import override_settings

    django.setup()
    from digest.demo import DemoLoader

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        DemoLoader().load()


def dress_articles() -> None:
    """(In a child process with Django set up.) The demo's photos and bylines on the generated
    articles, which bench/archive.py leaves without: real articles have both, and the API
    shows them (renditions, credits, authors) in article details, listings and weeks."""
    import django

    django.setup()
    from django.db import transaction

    from digest.models import ArticlePage, ArticlePageAuthor, Author, CreditedImage

    photos = list(CreditedImage.objects.order_by("id").values_list("id", flat=True))
    english_authors = list(
        Author.objects.filter(locale__language_code="en")
        .order_by("id")
        .values_list("translation_key", flat=True)
    )
    authors = {
        (key, language): author_id
        for key, language, author_id in Author.objects.values_list(
            "translation_key", "locale__language_code", "id"
        )
    }
    bare = list(
        ArticlePage.objects.filter(photo__isnull=True, authors__isnull=True).values_list(
            "id", "translation_key", "locale_id", "locale__language_code"
        )
    )
    by_photo, credits = {}, []
    for page_id, key, locale_id, language in bare:
        # Chosen by translation key: every language shows the same photo and analyst.
        by_photo.setdefault(photos[key.int % len(photos)], []).append(page_id)
        author_key = english_authors[key.int % len(english_authors)]
        credits.append(
            ArticlePageAuthor(
                page_id=page_id,
                author_id=authors.get((author_key, language), authors[(author_key, "en")]),
                sort_order=0,
                locale_id=locale_id,
                translation_key=uuid.uuid5(key, "byline"),
            )
        )
    with transaction.atomic():
        for photo_id, page_ids in by_photo.items():
            ArticlePage.objects.filter(id__in=page_ids).update(photo_id=photo_id)
        ArticlePageAuthor.objects.bulk_create(credits, batch_size=1000)
    print(f"Photos and bylines for {len(bare)} generated articles")


# ---- what to request ------------------------------------------------------------------------


def plan_requests() -> dict:
    """(In a child process with Django set up.) Per row: the URL wrk loads, URLs never requested
    before for first-request latency, and SQL queries on a miss and on a hit."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from core.paths import frontend_path
    from digest.models import ArticlePage, ReportPage

    weeks = list(
        ReportPage.objects.filter(locale__language_code="en")
        .order_by("week_start")
        .values_list("week_start", flat=True)
    )
    middle = weeks[len(weeks) // 2]
    samples = [
        weeks[(len(weeks) * number) // (COLD_SAMPLES + 2)] for number in range(1, COLD_SAMPLES + 2)
    ]
    samples = [week for week in samples if week != middle][:COLD_SAMPLES]

    def article(week, language="en", position=0):
        return ArticlePage.objects.filter(week_start=week, locale__language_code=language).order_by(
            "topic__sort_order", "id"
        )[position]

    def report(week):
        return ReportPage.objects.get(week_start=week, locale__language_code="en")

    def find_url(page):
        path = frontend_path(page.url_path, page.locale.language_code)
        return "/api/v2/pages/find/?" + urlencode({"html_path": path})

    def listing_url(offset):
        query = {"type": "digest.ArticlePage", "locale": "be", "fallback": "true", "limit": 20}
        return "/api/v2/pages/?" + urlencode({**query, "fields": "*", "offset": offset})

    def search_url(word):
        return "/api/v2/search/?" + urlencode({"q": word, "locale": "en"})

    search_words = sorted(
        {
            word.lower()
            for title in ArticlePage.objects.filter(locale__language_code="en").values_list(
                "title", flat=True
            )[:400]
            for word in title.split()
            if word.isalpha() and len(word) > 5
        }
    )
    rows = {
        "healthz": {"url": "/healthz", "cold": []},
        "detail": {
            "url": f"/api/v2/pages/{article(middle).id}/",
            "cold": [f"/api/v2/pages/{article(week).id}/" for week in samples],
        },
        "find": {
            "url": find_url(article(middle, "be", 1)),
            "cold": [find_url(article(week, "be", 1)) for week in samples],
        },
        "listing": {
            "url": listing_url(0),
            # Overlapping pages, but each URL new: 25 of them fit in a 1-year archive.
            "cold": [listing_url(7 * number) for number in range(1, COLD_SAMPLES + 1)],
        },
        "not_modified": {"url": f"/api/v2/pages/{article(middle).id}/", "cold": []},
        "report": {
            "url": f"/api/v2/pages/{report(middle).id}/",
            "cold": [f"/api/v2/pages/{report(week).id}/" for week in samples],
        },
    }
    if search_exists():
        rows["search"] = {
            "url": search_url(search_words[0]),
            "cold": [search_url(word) for word in search_words[1 : COLD_SAMPLES + 1]],
        }

    client = Client(HTTP_HOST="127.0.0.1")
    client.get(f"/api/v2/pages/{Page.objects.filter(depth=2).first().id}/")  # site, visibility
    for row in rows.values():
        if not row["cold"]:
            row["queries"] = {"miss": 0, "hit": 0}
            continue
        client.get(row["cold"][-1])  # renditions, translations' sites: as in a running site
        with CaptureQueriesContext(connection) as miss:
            assert client.get(row["url"]).status_code == 200, row["url"]
        with CaptureQueriesContext(connection) as hit:
            client.get(row["url"])
        row["queries"] = {"miss": len(miss), "hit": len(hit)}
    rows["not_modified"]["queries"] = {"miss": rows["detail"]["queries"]["miss"], "hit": 0}
    print(json.dumps(rows))
    return rows


# ---- serving and loading --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


class Server:
    """gunicorn with WORKERS sync workers on the production settings."""

    def __init__(self, database: str):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config=python:cms.gunicorn_conf",
                "cms.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=production_environment(database),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, url: str, headers=None) -> tuple[int, dict, float]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", url, headers=headers or {})
            response = connection.getresponse()
            response.read()
            return response.status, dict(response.getheaders()), time.perf_counter() - started
        finally:
            connection.close()

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) != self.process.pid:
                    continue
                status = (stat.parent / "status").read_text()
            except (OSError, IndexError, ValueError):
                continue
            rss_kb = next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")
            )
            sizes.append(round(rss_kb / 1024, 1))
        return sorted(sizes)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wrk(port: int, url: str, duration: int, script: str, headers=None) -> dict:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "-s", script]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{url}"], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1_000_000)
    return result


def measure_archive(name: str, duration: int, rounds: int, soak_seconds: int = 0) -> dict:
    rows = json.loads(
        run([sys.executable, __file__, "--plan"], production_environment(name, redis_url=None))
        .strip()
        .splitlines()[-1]
    )
    flush_redis()
    server = Server(name)
    try:
        for row in rows.values():
            row["cold_ms"] = (
                statistics.median(server.get(url)[2] * 1000 for url in row["cold"])
                if row["cold"]
                else None
            )
            status, headers, _seconds = server.get(row["url"])
            assert status == 200, (row["url"], status)
            row["headers"] = {}
        etag = server.get(rows["not_modified"]["url"])[1]["ETag"]
        rows["not_modified"]["headers"] = {"If-None-Match": etag}
        assert server.get(rows["not_modified"]["url"], {"If-None-Match": etag})[0] == 304

        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_REPORT)
        runs = {row: [] for row in rows}
        for number in range(1, rounds + 1):
            print(f"  round {number}/{rounds}", flush=True)
            for row_name, row in rows.items():
                runs[row_name].append(
                    wrk(server.port, row["url"], duration, script.name, row["headers"])
                )
        os.unlink(script.name)
        rss = server.worker_rss_mb()
        if soak_seconds:
            print(f"  soak: {soak_seconds} s at {SOAK_CONNECTIONS} connections …", flush=True)
            soaked = soak(server, rows, etag, soak_seconds)
    finally:
        server.stop()

    results = {}
    for row_name, row in rows.items():
        measured = runs[row_name]
        ratios = [
            run_["rps"] / ceiling["rps"]
            for run_, ceiling in zip(measured, runs["healthz"], strict=True)
        ]
        results[row_name] = {
            "url": row["url"],
            "rps": statistics.median(run_["rps"] for run_ in measured),
            "p50_ms": statistics.median(run_["p50_us"] for run_ in measured) / 1000,
            "p95_ms": statistics.median(run_["p95_us"] for run_ in measured) / 1000,
            "errors": sum(run_["socket_errors"] + run_["http_errors"] for run_ in measured),
            "queries": row["queries"],
            "cold_ms": row["cold_ms"],
            "ratio": statistics.median(ratios),
        }
    archive = {"rows": results, "worker_rss_mb": rss}
    if soak_seconds:
        archive["soak"] = soaked
    return archive


# ---- soak and abuse (issue 8) ---------------------------------------------------------------


def abusive_subscriber(port: int, seconds: int, outcome: dict) -> None:
    """One client posting ABUSE_PER_SECOND subscriptions a second, each for a new address and
    with a made-up X-Forwarded-For, as a script flooding the form would: the per-address and
    per-IP limits must answer 429 (the forged header must not get around them), never 5xx."""
    body_of = '{{"email": "flood{number}@example.org", "locale": "en"}}'.format
    deadline = time.monotonic() + seconds
    number = 0
    while time.monotonic() < deadline:
        started = time.monotonic()
        number += 1
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(
                "POST",
                "/api/v2/newsletter/subscribe/",
                body=body_of(number=number),
                headers={
                    "Content-Type": "application/json",
                    "X-Forwarded-For": f"203.0.113.{number % 250}",
                },
            )
            status = connection.getresponse().status
        except OSError:
            status = "socket error"
        finally:
            connection.close()
        outcome[status] = outcome.get(status, 0) + 1
        time.sleep(max(0.0, 1 / ABUSE_PER_SECOND - (time.monotonic() - started)))


def soak(server: "Server", rows: dict, etag: str, seconds: int) -> dict:
    """SOAK_CONNECTIONS connections for `seconds` on a mix of every row's URLs (hits, first
    requests, a 304), with the subscribe flood running alongside."""
    import threading

    lines = [f"|{row['url']}" for row in rows.values()]
    lines += [f"|{url}" for row in rows.values() for url in row["cold"]]
    lines.append(f"{etag}|{rows['not_modified']['url']}")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_MIXED + WRK_REPORT)
    abuse: dict = {}
    flood = threading.Thread(target=abusive_subscriber, args=(server.port, seconds, abuse))
    flood.start()
    try:
        command = [
            "wrk",
            "-t2",
            f"-c{SOAK_CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout=10s",
            "-s",
            script.name,
            f"http://127.0.0.1:{server.port}/",
            "--",
            *lines,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        flood.join()
        os.unlink(script.name)
    result = json.loads(output.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1_000_000)
    result["urls"] = len(lines)
    result["abuse"] = {str(status): count for status, count in sorted(abuse.items(), key=str)}
    return result


def soak_misses(result: dict) -> list[str]:
    misses = []
    if result["socket_errors"] or result["http_errors"]:
        misses.append(
            f"soak: {result['socket_errors']} socket errors, {result['http_errors']} HTTP errors"
        )
    abuse = result["abuse"]
    server_errors = sum(
        count
        for status, count in abuse.items()
        if not status.startswith("4") and not status.startswith("2")
    )
    if server_errors:
        misses.append(f"subscribe flood: {server_errors} answers that were not 2xx/4xx")
    if not abuse.get("429"):
        misses.append("subscribe flood: never throttled (no 429)")
    return misses


def soak_lines(result: dict) -> str:
    abuse = ", ".join(f"{status}: {count}" for status, count in result["abuse"].items())
    return (
        f"Soak ({SOAK_CONNECTIONS} connections, {result['duration_us'] / 1e6:.0f} s, "
        f"{result['urls']} URLs mixed): {result['requests']:,} requests, "
        f"{result['rps']:,.0f} req/s, "
        f"p50 {result['p50_us'] / 1000:.1f} ms, p95 {result['p95_us'] / 1000:.1f} ms, "
        f"{result['socket_errors']} socket errors, {result['http_errors']} HTTP errors\n"
        f"Subscribe flood alongside ({ABUSE_PER_SECOND} req/s, one client, forged "
        f"X-Forwarded-For): {abuse}"
    )


# ---- the report -----------------------------------------------------------------------------


def check_targets(archives: dict) -> list[str]:
    misses = []
    for name, archive in archives.items():
        for row_name, result in archive["rows"].items():
            target = ROWS[row_name][1]
            if target is not None and result["ratio"] < target:
                misses.append(f"{name}: {row_name} at {result['ratio']:.0%} < {target:.0%}")
            if result["errors"]:
                misses.append(f"{name}: {row_name} had {result['errors']} errors")
        if max(archive["worker_rss_mb"]) > RSS_LIMIT_MB:
            misses.append(f"{name}: worker RSS {max(archive['worker_rss_mb'])} MB")
        if "soak" in archive:
            misses += [f"{name}: {miss}" for miss in soak_misses(archive["soak"])]
    small, large = archives.get("1y"), archives.get("10y")
    if small and large:
        for row_name in GROWTH_ROWS:
            growth = large["rows"][row_name]["p50_ms"] / small["rows"][row_name]["p50_ms"]
            if growth > GROWTH_LIMIT:
                misses.append(f"growth of {row_name}: {growth:.2f}× > {GROWTH_LIMIT}×")
    return misses


def table(name: str, archive: dict) -> str:
    lines = [
        f"{name} archive ({ARCHIVES[name]} weeks):",
        "| endpoint | req/s | p50 ms | p95 ms | SQL miss/hit | first request p50 ms "
        "| share of /healthz | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row_name, result in archive["rows"].items():
        label, target = ROWS[row_name]
        cold = f"{result['cold_ms']:.1f}" if result["cold_ms"] is not None else "–"
        lines.append(
            f"| {label} | {result['rps']:,.0f} | {result['p50_ms']:.2f} | {result['p95_ms']:.2f} "
            f"| {result['queries']['miss']}/{result['queries']['hit']} | {cold} "
            f"| {result['ratio']:.0%} | {f'≥ {target:.0%}' if target else '–'} |"
        )
    sizes = ", ".join(f"{mb} MB" for mb in archive["worker_rss_mb"])
    lines.append(f"gunicorn worker RSS after the run: {sizes} (target ≤ {RSS_LIMIT_MB} MB)")
    if "soak" in archive:
        lines.append(soak_lines(archive["soak"]))
    return "\n".join(lines)


def growth_lines(archives: dict) -> str:
    small, large = archives["1y"]["rows"], archives["10y"]["rows"]
    parts = []
    for row_name in GROWTH_ROWS:
        served = large[row_name]["p50_ms"] / small[row_name]["p50_ms"]
        first = large[row_name]["cold_ms"] / small[row_name]["cold_ms"]
        parts.append(f"{ROWS[row_name][0]} {served:.2f}× (first request {first:.2f}×)")
    return f"Latency growth 1y → 10y, p50 (target ≤ {GROWTH_LIMIT}×): " + "; ".join(parts)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    memory_gb = memory_kb // 1024 // 1024
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), {memory_gb} GB RAM, {system}"


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    print("Installing wrk (Debian package) …", flush=True)
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep existing bench databases")
    parser.add_argument("--only", choices=sorted(ARCHIVES), help="one archive only")
    parser.add_argument(
        "--soak",
        type=int,
        default=SOAK_SECONDS,
        help="seconds of the soak on the largest archive (0: none)",
    )
    parser.add_argument("--load-demo", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--plan", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dress", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.load_demo:
        load_demo()
        return 0
    if args.plan:
        plan_requests()
        return 0
    if args.dress:
        dress_articles()
        return 0

    ensure_wrk()
    names = [args.only] if args.only else list(ARCHIVES)
    databases = {name: f"bench_api_{name}" for name in names}
    if not (args.reuse and all(database_exists(db) for db in databases.values())):
        if not (args.reuse and database_exists(BASE_DATABASE)):
            prepare_base()
        for name, database in databases.items():
            prepare_archive(database, ARCHIVES[name])

    archives = {}
    for name, database in databases.items():
        print(
            f"Measuring the {name} archive ({args.rounds} × {args.duration} s per row) …",
            flush=True,
        )
        soak_seconds = args.soak if name == names[-1] else 0
        archives[name] = measure_archive(database, args.duration, args.rounds, soak_seconds)
        print(table(name, archives[name]), flush=True)

    misses = check_targets(archives)
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "load_average": os.getloadavg(),
        "setup": f"gunicorn -w {WORKERS} (sync), production settings, Redis cache; "
        f"wrk -t1 -c{CONNECTIONS}, {args.rounds} rounds × {args.duration} s per row",
        "archives": archives,
        "misses": misses,
    }
    print(f"\n{report['date']}, {report['machine']}; load average {report['load_average'][0]:.1f}")
    print(report["setup"])
    for name in names:
        print("\n" + table(name, archives[name]))
    if len(names) == len(ARCHIVES):
        print("\n" + growth_lines(archives))
    print("\nTargets: " + ("all met" if not misses else "MISSED — " + "; ".join(misses)))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "api.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
