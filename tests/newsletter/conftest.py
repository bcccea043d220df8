"""Real SMTP for the newsletter tests: an aiosmtpd server on 127.0.0.1, and servers that fail."""

import datetime
import email
import email.policy
import logging
import socket
import threading
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.test import TestCase

from digest.desk.translation import translate_week
from digest.factories import ArticlePageFactory, ReportPageFactory, topic
from digest.models import ReportPage, Topic
from digest.newsletter.models import Subscriber
from digest.trends import Trend
from tests.shared import shared_content
from tests.translating import publish_translated

WEEK = datetime.date(2023, 9, 11)


@pytest.fixture(autouse=True, scope="session")
def _quiet_smtp_server_logs():
    # aiosmtpd logs every SMTP command at INFO.
    logging.getLogger("mail.log").setLevel(logging.WARNING)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    envelope_to: list[str]
    message: email.message.EmailMessage

    @property
    def to(self) -> str:
        return self.envelope_to[0]

    @property
    def subject(self) -> str:
        # A long subject is folded onto a continuation line; readers see it unfolded.
        return str(self.message["Subject"]).strip()

    def part(self, content_type: str) -> str:
        return self.message.get_body(preferencelist=(content_type.split("/")[1],)).get_content()

    @property
    def html(self) -> str:
        return self.part("text/html")

    @property
    def text(self) -> str:
        return self.part("text/plain")


@dataclass
class RecordingHandler:
    """Keeps every message it accepts. `refuse` holds addresses answered with 550;
    `fail_next` makes that many messages fail with a temporary 451."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    fail_next: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_next:
            self.fail_next -= 1
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope_to=list(envelope.rcpt_tos), message=message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [item for item in self.received if address in item.envelope_to]


@pytest.fixture
def smtp_server(settings):
    """An SMTP server on localhost that Django's SMTP backend sends to."""
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield handler
    controller.stop()


class HangingServer:
    """Accepts TCP connections and never says a word, like an SMTP server that is stuck."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.connections.append(connection)

    def close(self):
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def hanging_smtp_server(settings):
    server = HangingServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1
    yield server
    server.close()


@pytest.fixture
def dead_smtp_server(settings):
    """Nothing listens on the configured port: every connection is refused."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 1


@pytest.fixture
def database_queue(settings):
    """Tasks wait in the database for a worker, as in production, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(scope="module", autouse=True)
def _week_of_the_module(django_db_setup, django_db_blocker):
    """Every newsletter test runs with the published week in the database (built once per
    module: present for all of a module's tests, whatever their order)."""
    # Only the translations' on-commit work is done (in the build), as in a test of its own.
    yield from shared_content(django_db_blocker, build_published_week, on_commit=False)


@pytest.fixture
def published_week(_week_of_the_module, db):
    """The week of 11–17 September 2023: three articles in English, translated into Russian
    and Belarusian, except that one Belarusian translation is missing (Russian is served).

    Built once per module; each test gets it fresh from the database and its changes are
    rolled back."""
    return ReportPage.objects.get(pk=_week_of_the_module.pk)


def build_published_week() -> ReportPage:
    report = ReportPageFactory(week_start=WEEK)
    west = ArticlePageFactory(
        parent=report,
        title="Minsk courts its neighbours",
        lead="Calls for friendship meet closed checkpoints.",
        topic=topic("belarus-west-relations"),
        trend=Trend.UNCHANGED,
    )
    security = ArticlePageFactory(
        parent=report,
        title="Wagner leaves, the nuclear question stays",
        lead="Security risks shift but do not shrink.",
        topic=topic("security-issues"),
        trend=Trend.WORSENED,
    )
    elite = ArticlePageFactory(
        parent=report,
        title="The elite closes ranks",
        lead="Appointments reward loyalty.",
        topic=topic("the-ruling-elite"),
        trend=Trend.IMPROVED,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        translate_week(report, None, ["be", "ru"])
        for language in ("be", "ru"):
            publish_translated(report, language)
        for article, language, title in [
            (west, "ru", "Минск ищет дружбы соседей"),
            (security, "ru", "Вагнер уходит, ядерный вопрос остаётся"),
            (elite, "ru", "Элита смыкает ряды"),
            (west, "be", "Мінск шукае сяброўства суседзяў"),
            (elite, "be", "Эліта змыкае шэрагі"),
        ]:
            publish_translated(article, language, {"title": title})
    # The Belarusian security article stays a draft: Belarusian readers get the Russian.
    # Syncing the translations copied the English topic names into be/ru (nothing translated
    # them in this test); put back the names translators gave them.
    for slug, language, name in [
        ("belarus-west-relations", "be", "Адносіны Беларусі і Захаду"),
        ("security-issues", "be", "Пытанні бяспекі"),
        ("the-ruling-elite", "be", "Кіруючы клас"),
        ("belarus-west-relations", "ru", "Отношения Беларуси и Запада"),
        ("security-issues", "ru", "Вопросы безопасности"),
        ("the-ruling-elite", "ru", "Правящий класс"),
    ]:
        Topic.objects.filter(slug=slug, locale__language_code=language).update(name=name)
    return report


@pytest.fixture
def subscribers(db):
    """Two confirmed subscribers per language, plus one pending and one unsubscribed."""
    people = {}
    for language in ("en", "be", "ru"):
        for number in (1, 2):
            address = f"{language}{number}@example.org"
            people[address] = Subscriber.objects.create(
                email=address,
                email_normalized=address,
                locale=language,
                status=Subscriber.Status.CONFIRMED,
            )
    for address, status in [
        ("pending@example.org", Subscriber.Status.PENDING),
        ("gone@example.org", Subscriber.Status.UNSUBSCRIBED),
    ]:
        people[address] = Subscriber.objects.create(
            email=address, email_normalized=address, locale="en", status=status
        )
    return people
