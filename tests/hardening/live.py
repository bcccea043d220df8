"""Real processes and sockets on 127.0.0.1 for fault tests: an app server, dead ports, a relay."""

import contextlib
import os
import queue
import re
import secrets
import socket
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def production_env(**overrides) -> dict:
    """The environment of a production app server on this machine (plain HTTP, no proxy)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "AWS_", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
    )
    env.update(overrides)
    return env


def manage(env: dict, *args: str) -> str:
    """Runs `manage.py` in its own process with this production environment; returns stdout."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**env),
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@contextlib.contextmanager
def app_server(workers: int = 1, **env):
    """gunicorn serving cms.wsgi with the production settings; yields its base URL."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config=python:cms.gunicorn_conf",
            "cms.wsgi:application",
            "--bind=127.0.0.1:0",
            f"--workers={workers}",
            "--preload",
        ],
        cwd=ROOT,
        env=production_env(**env),
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = queue.Queue()
    output = []

    def read_output():
        for line in process.stderr:
            output.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read_output, daemon=True).start()
    try:
        base_url = None
        # The socket listens before the worker boots; once it has, requests are answered.
        while True:
            line = lines.get(timeout=STARTUP_SECONDS)
            if line is None:
                raise RuntimeError("The app server exited:\n" + "".join(output))
            if match := re.search(r"Listening at: (http://\S+)", line):
                base_url = match.group(1)
            if "Booting worker" in line and base_url:
                workers -= 1
                if not workers:
                    break
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def closed_port():
    """A port on 127.0.0.1 that refuses connections (bound, never listening) until closed."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock
    finally:
        sock.close()


@contextlib.contextmanager
def unresponsive_server():
    """A server on 127.0.0.1 that accepts connections (in the kernel backlog) and never replies."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def forward(listener: socket.socket, target: tuple[str, int]) -> None:
    """Starts relaying connections on `listener` (e.g. a closed_port()) to `target`."""

    def relay(source, destination):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                destination.sendall(data)
        for end in (source, destination):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def accept():
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(target)
            threading.Thread(target=relay, args=(client, upstream), daemon=True).start()
            threading.Thread(target=relay, args=(upstream, client), daemon=True).start()

    listener.listen(16)
    threading.Thread(target=accept, daemon=True).start()
