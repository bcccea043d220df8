"""`make run` ensures a development superuser called admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.management.commands import ensure_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def password_file(tmp_path, monkeypatch):
    path = tmp_path / ".dev-admin-password"
    monkeypatch.setattr(ensure_superuser, "PASSWORD_FILE", path)
    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    return path


def test_the_password_comes_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "correct horse battery")
    call_command("ensure_superuser")

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("correct horse battery")


def test_without_one_a_password_is_generated_printed_and_kept(password_file, capsys):
    call_command("ensure_superuser")
    printed = capsys.readouterr().out
    password = password_file.read_text().strip()

    assert password in printed
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_running_twice_keeps_one_admin_with_the_same_password(password_file, capsys):
    call_command("ensure_superuser")
    call_command("ensure_superuser")
    password = password_file.read_text().strip()

    assert get_user_model().objects.filter(username="admin").count() == 1
    assert get_user_model().objects.get(username="admin").check_password(password)
    assert capsys.readouterr().out.count(password) == 2
