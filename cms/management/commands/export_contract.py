"""`manage.py export_contract [--check]`: write (or verify) frontend_contract/openapi.json."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cms.openapi import build_document

CONTRACT = Path(settings.BASE_DIR) / "frontend_contract" / "openapi.json"


def render() -> str:
    return json.dumps(build_document(), ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "Write the API's OpenAPI document to frontend_contract/openapi.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Fail if the committed document differs from the code (CI uses this).",
        )

    def handle(self, *args, check=False, **options):
        document = render()
        if check:
            current = CONTRACT.read_text(encoding="utf-8") if CONTRACT.exists() else ""
            if current != document:
                raise CommandError(
                    f"{CONTRACT.relative_to(settings.BASE_DIR)} is stale: run "
                    "`python manage.py export_contract` and commit the result."
                )
            self.stdout.write(self.style.SUCCESS("The committed API contract is up to date."))
            return
        CONTRACT.write_text(document, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {CONTRACT.relative_to(settings.BASE_DIR)}"))
