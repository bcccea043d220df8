"""Ensures the development superuser `admin` exists (used by `make run`)."""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

PASSWORD_FILE = Path(settings.BASE_DIR) / ".dev-admin-password"
NAME = {"first_name": "Site", "last_name": "Administrator"}


class Command(BaseCommand):
    help = (
        "Create the superuser 'admin' if missing. The password comes from "
        "DJANGO_SUPERUSER_PASSWORD, else a generated one is kept in .dev-admin-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="admin@example.com")

    def handle(self, *args, username, email, **options):
        User = get_user_model()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        user = User.objects.filter(username=username).first()

        if password:
            source = "DJANGO_SUPERUSER_PASSWORD"
        elif PASSWORD_FILE.exists():
            password = PASSWORD_FILE.read_text().strip()
            source = PASSWORD_FILE.name
        else:
            password = secrets.token_urlsafe(12)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
            source = f"generated, kept in {PASSWORD_FILE.name}"

        if user is None:
            User.objects.create_superuser(username=username, email=email, password=password, **NAME)
            verb = "Created"
        else:
            # Wagtail's account form requires a first and last name: without them the admin
            # could not even change its admin language.
            named = all(getattr(user, field) for field in NAME)
            if not user.check_password(password) or not user.is_superuser or not named:
                user.set_password(password)
                user.is_superuser = user.is_staff = user.is_active = True
                for field, value in NAME.items():
                    setattr(user, field, getattr(user, field) or value)
                user.save()
            verb = "Ensured"

        self.stdout.write(
            self.style.SUCCESS(f"{verb} superuser '{username}' — password: {password} ({source})")
        )
