"""Benchmark: the first run, from an empty database to a site whose search finds the demo.

Does what `make run` does after pip — `migrate`, `load_demo`, `ensure_superuser` — in a
throwaway SQLite database and media folders, each step in its own process as `make` runs it,
then asks the search API (in-process, through the whole middleware stack) for a word of the
demo in each language. Goal: ≤ 60 s on a quiet machine. pip's own time is not part of it (the
README reports it separately).

    .venv/bin/python bench/first_run_bench.py

Prints each step's time and the goal, writes bench-results/first_run.json; exits 1 when the goal
is missed or search finds nothing.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 60.0
# A word of the demo's texts in each language, and a query the search box would send.
WORDS = {"en": "Lithuania", "be": "Літва", "ru": "Литва"}


def environment(workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_MEDIA_ROOT=str(workdir / "media-private"),
        DJANGO_SUPERUSER_PASSWORD="bench-only-password-1234",
        REDIS_URL="",
    )
    return env


def timed(env: dict, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


SEARCH = """
import json, django
django.setup()
from django.test import Client
client = Client()
found = {}
for language, word in %r.items():
    answer = client.get("/api/v2/search/", {"q": word, "locale": language})
    found[language] = answer.json()["meta"]["total_count"] if answer.status_code == 200 else 0
print(json.dumps(found))
"""


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="situation-desk-first-run-") as directory:
        env = environment(Path(directory))
        steps = {
            "migrate": timed(env, "migrate", "--noinput", "-v0"),
            "load_demo": timed(env, "load_demo"),
            "ensure_superuser": timed(env, "ensure_superuser"),
        }
        started = time.perf_counter()
        answer = subprocess.run(
            [sys.executable, "-c", SEARCH % WORDS],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        steps["first searches"] = time.perf_counter() - started
    found = json.loads(answer.stdout.strip().splitlines()[-1])
    total = sum(steps.values())
    load = os.getloadavg()[0]
    for step, seconds in steps.items():
        print(f"  {step:<18} {seconds:6.1f} s")
    met = total <= GOAL_SECONDS and all(found.values())
    print(
        f"first run: {total:.1f} s to a searchable site (goal ≤ {GOAL_SECONDS:.0f} s) "
        f"{'met' if total <= GOAL_SECONDS else 'MISSED'}; load average {load:.1f}"
    )
    print(f"search finds the demo: {found} {'met' if all(found.values()) else 'MISSED'}")
    results = ROOT / "bench-results"
    results.mkdir(exist_ok=True)
    (results / "first_run.json").write_text(
        json.dumps({"steps": steps, "total": total, "found": found, "load": load}, indent=2)
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
