"""`manage.py export_examples`: golden API payloads from the demo archive, for frontend developers.

Writes frontend_contract/examples/<name>.json, each the response to the request named in
examples/index.json. Run it on a database with the demo loaded (`make setup`).
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from digest.models import ArticlePage, ReportPage

EXAMPLES = Path(settings.BASE_DIR) / "frontend_contract" / "examples"
SEED_WEEK = "2023-09-11"
SEED_TOPIC = "belarus-west-relations"
# The demo week whose ruling-elite article has no Belarusian translation.
FALLBACK_WEEK = "2023-10-09"


def requests() -> dict[str, str]:
    def article(language):
        page = ArticlePage.objects.live().get(
            locale__language_code=language, week_start=SEED_WEEK, topic__slug=SEED_TOPIC
        )
        return f"/api/v2/pages/{page.id}/"

    fallback_week = ReportPage.objects.live().get(
        locale__language_code="be", week_start=FALLBACK_WEEK
    )
    return {
        "article-en": article("en"),
        "article-be": article("be"),
        "article-ru": article("ru"),
        "find-article-be": None,
        "week-be-with-fallback": f"/api/v2/pages/{fallback_week.id}/?locale=be&fallback=true",
        "home-ru": "/api/v2/pages/find/?html_path=/ru/",
        "articles-be-with-fallback": (
            f"/api/v2/pages/?type=digest.ArticlePage&locale=be&fallback=true&week={FALLBACK_WEEK}"
        ),
        "topics-be": "/api/v2/topics/?locale=be",
        "trends-be": "/api/v2/trends/?locale=be&topic=belarus-west-relations",
        "error-unknown-locale": "/api/v2/pages/?locale=de",
        "changes-from-the-start": "/api/v2/changes/?since=0&limit=3",
    }


class Command(BaseCommand):
    help = "Write golden example payloads from the demo archive to frontend_contract/examples/."

    def handle(self, *args, **options):
        if not ArticlePage.objects.live().filter(week_start=SEED_WEEK).exists():
            raise CommandError("The demo archive is not loaded: run `python manage.py load_demo`.")
        client = Client(SERVER_NAME="localhost")
        index = {}
        wanted = requests()
        article_be = json.loads(client.get(wanted["article-be"]).content)
        wanted["find-article-be"] = f"/api/v2/pages/find/?html_path={article_be['meta']['path']}"
        EXAMPLES.mkdir(exist_ok=True)
        for name, url in wanted.items():
            response = client.get(url)
            (EXAMPLES / f"{name}.json").write_text(
                json.dumps(json.loads(response.content), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            index[name] = {"request": f"GET {url}", "status": response.status_code}
            self.stdout.write(f"{name}: GET {url} → {response.status_code}")
        (EXAMPLES / "index.json").write_text(
            json.dumps(index, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(index)} examples to {EXAMPLES}"))
