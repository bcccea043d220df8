"""Benchmark: one demo week's digest to 10,000 confirmed subscribers in three languages.

Builds a throwaway SQLite database (migrations + the demo archive), starts a local aiosmtpd sink
in a child process, then times the real path — `start_digest_send` and a `db_worker --batch`
run of the database queue — until every message has been handed to SMTP. Goal: ≤ 30 s.

    .venv/bin/python bench/newsletter_bench.py [--subscribers N] [--week YYYY-MM-DD]

Prints the numbers and writes them to bench-results/newsletter.json; exits 1 when the goal is
missed or a message is missing.
"""

import argparse
import asyncio
import datetime
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 30.0
LANGUAGES = ("en", "be", "ru")


# ---- the SMTP sink (child process, so it does not compete with the sender for the GIL) -----


class CountingHandler:
    def __init__(self):
        self.messages = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages += 1
        return "250 Message accepted for delivery"


def run_sink(port: int) -> None:
    from aiosmtpd.controller import Controller

    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    sys.stdin.read()  # the parent closes stdin when it wants the count
    controller.stop()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps({"messages": handler.messages, "cpu_seconds": usage.ru_utime + usage.ru_stime})
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---- the benchmark --------------------------------------------------------------------------


def prepare_environment(workdir: Path, smtp_port: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["EMAIL_HOST"] = "127.0.0.1"
    os.environ["EMAIL_PORT"] = str(smtp_port)
    os.environ.pop("REDIS_URL", None)
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))


def build_site(subscribers: int) -> None:
    from django.core.management import call_command
    from django.test import override_settings

    from digest.demo import DemoLoader
    from digest.newsletter.models import Subscriber

    call_command("migrate", verbosity=0)
    # Wagtail's own indexing tasks run inline while loading, so the timed queue holds only mail.
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        DemoLoader().load()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{number}@example.org",
                email_normalized=f"reader{number}@example.org",
                locale=LANGUAGES[number % len(LANGUAGES)],
                status=Subscriber.Status.CONFIRMED,
            )
            for number in range(subscribers)
        ),
        batch_size=2000,
    )


def timed_send(week: datetime.date) -> dict:
    from django.core.management import call_command

    from digest.newsletter.content import week_digest
    from digest.newsletter.emails import render_digest
    from digest.newsletter.models import Delivery
    from digest.newsletter.sending import start_digest_send

    started = time.perf_counter()
    for language in LANGUAGES:
        render_digest(week_digest(week, language))
    render_seconds = time.perf_counter() - started

    started, cpu_started = time.perf_counter(), time.process_time()
    start_digest_send(week)
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )
    send_seconds = time.perf_counter() - started
    sender_cpu_seconds = time.process_time() - cpu_started

    statuses = dict.fromkeys(Delivery.Status.values, 0)
    for status in Delivery.objects.values_list("status", flat=True):
        statuses[status] += 1
    return {
        "render_seconds": render_seconds,
        "send_seconds": send_seconds,
        "sender_cpu_seconds": sender_cpu_seconds,
        "deliveries": statuses,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--week", type=datetime.date.fromisoformat, default="2023-09-11")
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        asyncio.set_event_loop(asyncio.new_event_loop())
        run_sink(args.sink)
        return 0

    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert sink.stdout.readline().strip() == "READY"
        with tempfile.TemporaryDirectory(prefix="bench-newsletter-") as workdir:
            prepare_environment(Path(workdir), port)
            import django

            django.setup()
            print(f"Building a throwaway site with {args.subscribers} subscribers…", flush=True)
            build_site(args.subscribers)
            print(f"Sending the week of {args.week} …", flush=True)
            result = timed_send(args.week)
    finally:
        sink_report, _ = sink.communicate(timeout=60)
    sink_usage = json.loads(sink_report or '{"messages": 0, "cpu_seconds": 0}')
    received = sink_usage["messages"]

    result.update(
        subscribers=args.subscribers,
        received_by_smtp=received,
        smtp_sink_cpu_seconds=sink_usage["cpu_seconds"],
        load_average=os.getloadavg(),
        messages_per_second=round(received / result["send_seconds"], 1),
        goal_seconds=GOAL_SECONDS,
    )
    passed = received == args.subscribers and result["send_seconds"] <= GOAL_SECONDS
    result["passed"] = passed
    print(
        f"render (3 languages, once each): {result['render_seconds']:.2f} s\n"
        f"render + hand {received} of {args.subscribers} messages to SMTP: "
        f"{result['send_seconds']:.2f} s ({result['messages_per_second']} msg/s)\n"
        f"CPU: sender {result['sender_cpu_seconds']:.2f} s, SMTP sink "
        f"{result['smtp_sink_cpu_seconds']:.2f} s; load average {result['load_average'][0]:.2f} "
        f"on {os.cpu_count()} cores\n"
        f"deliveries: {result['deliveries']}\n"
        f"goal ≤ {GOAL_SECONDS:.0f} s: {'PASS' if passed else 'FAIL'}"
    )
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "newsletter.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
