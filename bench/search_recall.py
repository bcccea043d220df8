"""Benchmark: does search find every form of a word? Recall and precision on the demo content,
per language and engine (SQLite, the default of `make run`, and PostgreSQL).

`bench/search_recall_words.json` lists words of the demo texts (digest/demo_content) in each
language, with their inflected forms and the demo documents that contain any of those forms —
a week's summary as `2023-09-11`, an article as `2023-09-11/security-issues`. For each engine
the demo is built in a database of its own (SQLite in a temporary folder, a throwaway PostgreSQL
database), indexed with `manage.py update_index`, and every form is searched through
`GET /api/v2/search/` in its language. Only documents in that language count (a Belarusian
search also shows Russian articles that have no Belarusian version; they are left aside):

    recall    = documents found that should be ÷ documents that should be, over all forms
    precision = documents found that should be ÷ documents found, over all forms

Goals: recall ≥ 90 % on SQLite and ≥ 95 % on PostgreSQL in every language, precision ≥ 95 %.

    .venv/bin/python bench/search_recall.py [--engine sqlite|postgresql|both]
    .venv/bin/python bench/search_recall.py --update-list   # recompute "matches" from the demo

`--update-list` rewrites the documents of each word from the demo's indexed texts (title, lead,
body, words compared case-folded, ё as е in Russian, apostrophes alike) after a change of the
forms or of the demo. Prints the figures beside the goals, writes bench-results/
search-recall.json, exits 1 when a goal is missed.
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from search_bench import ROOT, run_sql, step, throwaway_database_url

WORDS = ROOT / "bench" / "search_recall_words.json"
GOALS = {"sqlite": 0.90, "postgresql": 0.95}
PRECISION_GOAL = 0.95


def build_and_measure(engine: str, update_list: bool) -> dict:
    """Build the demo in a new database of `engine`, index it, and measure it (in a child)."""
    environment = {"DJANGO_SETTINGS_MODULE": "cms.settings.test", "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory(prefix="search-recall-") as folder:
        name = f"bench_recall_{os.getpid()}"
        if engine == "sqlite":
            environment["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'db.sqlite3'}"
        else:
            database_url, server_url = throwaway_database_url(name)
            run_sql(server_url, f"CREATE DATABASE {name}")
            environment["DATABASE_URL"] = database_url
        saved = dict(os.environ)
        os.environ.update(environment)
        os.environ.pop("REDIS_URL", None)
        try:
            print(f"{engine}: migrating, loading the demo, indexing…", flush=True)
            step("manage.py", "migrate", "--noinput", "--verbosity", "0")
            step("manage.py", "load_demo")
            step("manage.py", "update_index", "--verbosity", "0")
            output, _seconds = step(
                "bench/search_recall.py", "--measure", *(["--update-list"] if update_list else [])
            )
        finally:
            os.environ.clear()
            os.environ.update(saved)
            if engine == "postgresql":
                run_sql(server_url, f"DROP DATABASE IF EXISTS {name}")
    return json.loads(output.strip().splitlines()[-1])


def document_keys() -> dict:
    """Page id → (language, document key) of every index entry."""
    from digest.models import Topic
    from search.models import SearchEntry

    slugs = dict(Topic.objects.values_list("id", "slug"))
    return {
        page_id: (language, f"{week}/{slugs[topic]}" if topic else str(week))
        for page_id, language, week, topic in SearchEntry.objects.values_list(
            "page_id", "language", "week_start", "topic_id"
        )
    }


def documents_with_forms(words: dict) -> dict:
    """language → word → sorted keys of the documents containing any of its forms."""
    from search.analysis import normalized, words_of
    from search.models import SearchEntry

    keys = document_keys()
    found: dict = {}
    for entry in SearchEntry.objects.all():
        language, key = keys[entry.page_id]
        text = {
            normalized(word, language)
            for word in words_of(" ".join((entry.title, entry.lead, entry.body)))
        }
        for item in words.get(language, []):
            if text & {normalized(form, language) for form in item["forms"]}:
                found.setdefault(language, {}).setdefault(item["word"], []).append(key)
    return {
        language: {word: sorted(documents) for word, documents in by_word.items()}
        for language, by_word in found.items()
    }


def measure(update_list: bool) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.test import Client

    words = json.loads(WORDS.read_text(encoding="utf-8"))
    if update_list:
        truth = documents_with_forms(words)
        for language, items in words.items():
            for item in items:
                item["matches"] = truth.get(language, {}).get(item["word"], [])
        WORDS.write_text(json.dumps(words, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    keys = document_keys()
    client = Client()
    result = {"engine": connection.vendor, "languages": {}}
    for language, items in words.items():
        expected_total = found_total = right_total = 0
        misses = []
        for item in items:
            expected = set(item["matches"])
            for form in item["forms"]:
                response = client.get(
                    "/api/v2/search/", {"q": form, "locale": language, "limit": 100}
                )
                found = {
                    keys[hit["id"]][1]
                    for hit in response.json()["items"]
                    if keys.get(hit["id"], ("",))[0] == language
                }
                right = found & expected
                expected_total += len(expected)
                found_total += len(found)
                right_total += len(right)
                if found != expected:
                    misses.append(
                        f"{form}: {len(right)}/{len(expected)} found, {len(found - right)} wrong"
                    )
        result["languages"][language] = {
            "forms": sum(len(item["forms"]) for item in items),
            "recall": right_total / expected_total if expected_total else 1.0,
            "precision": right_total / found_total if found_total else 1.0,
            "misses": misses,
        }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--update-list", action="store_true", help="recompute the documents")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.update_list), ensure_ascii=False))
        return 0

    engines = ("sqlite", "postgresql") if args.engine == "both" else (args.engine,)
    results, passed = [], True
    for number, engine in enumerate(engines):
        result = build_and_measure(engine, args.update_list and number == 0)
        results.append(result)
        goal = GOALS[engine]
        print(f"\n{engine}: goal recall ≥ {goal:.0%}, precision ≥ {PRECISION_GOAL:.0%}")
        for language, numbers in result["languages"].items():
            ok = numbers["recall"] >= goal and numbers["precision"] >= PRECISION_GOAL
            passed &= ok
            print(
                f"  {language}: recall {numbers['recall']:.1%}, precision "
                f"{numbers['precision']:.1%} over {numbers['forms']} forms — "
                f"{'PASS' if ok else 'FAIL'}"
            )
            for miss in numbers["misses"]:
                print(f"      {miss}")
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "search-recall.json").write_text(
        json.dumps(
            {"results": results, "goals": GOALS, "precision_goal": PRECISION_GOAL},
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(f"goals: {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
