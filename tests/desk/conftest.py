import pytest
from django.contrib.auth.models import Group
from wagtail.users.models import UserProfile

from digest.factories import english_week as build_english_week

ROLE_GROUPS = {
    "editor": "Editors",
    "chief": "Chief editors",
    "translator_be": "Translators (BE)",
    "translator_ru": "Translators (RU)",
}


def make_user(django_user_model, username, group_name, language="en"):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@example.com", password="correct horse battery"
    )
    user.groups.add(Group.objects.get(name=group_name))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "editor", ROLE_GROUPS["editor"])


@pytest.fixture
def chief(django_user_model):
    return make_user(django_user_model, "chief", ROLE_GROUPS["chief"])


@pytest.fixture
def translator_be(django_user_model):
    return make_user(django_user_model, "translator-be", ROLE_GROUPS["translator_be"], "be")


@pytest.fixture
def translator_ru(django_user_model):
    return make_user(django_user_model, "translator-ru", ROLE_GROUPS["translator_ru"], "ru")


@pytest.fixture
def english_week():
    """A published English week with two articles: Belarus-West relations and security."""
    report, west, security, _analyst = build_english_week()
    return report, west, security
