"""Editors, chief editors and translators get the right to do their part of the week, no more."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.images import get_image_model
from wagtail.models import GroupPagePermission, Page, Workflow
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from digest.factories import archive, locale
from home.models import HomePage

image_permissions = policy_registry.get_by_type(get_image_model())

pytestmark = pytest.mark.django_db

roles_migration = importlib.import_module("digest.migrations.0003_editorial_roles_and_workflow")


def test_the_desks_groups_exist_out_of_the_box():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"Editors", "Chief editors", "Translators (BE)", "Translators (RU)"} <= names


def test_editors_write_english_pages_but_do_not_publish(editor):
    english = archive("en").permissions_for_user(editor)
    assert english.can_add_subpage()
    assert english.can_edit()
    assert not english.can_publish()
    assert not archive("be").permissions_for_user(editor).can_edit()
    assert not archive("ru").permissions_for_user(editor).can_edit()


def test_chief_editors_publish_in_every_language(chief):
    for language_code in ("en", "be", "ru"):
        permissions = archive(language_code).permissions_for_user(chief)
        assert permissions.can_edit()
        assert permissions.can_publish()


@pytest.mark.parametrize(
    ("translator_fixture", "own", "others"),
    [("translator_be", "be", ("en", "ru")), ("translator_ru", "ru", ("en", "be"))],
)
def test_translators_edit_and_publish_only_their_languages_tree(
    request, translator_fixture, own, others
):
    translator = request.getfixturevalue(translator_fixture)
    permissions = archive(own).permissions_for_user(translator)
    assert permissions.can_edit()
    assert permissions.can_publish()
    for language_code in others:
        assert not archive(language_code).permissions_for_user(translator).can_edit()


def test_the_page_permission_policy_agrees_on_who_may_publish_where(editor, chief, translator_be):
    policy = PagePermissionPolicy()
    publishable_by_translator = policy.instances_user_has_permission_for(translator_be, "publish")
    assert set(publishable_by_translator.values_list("locale__language_code", flat=True)) == {"be"}
    assert not policy.instances_user_has_permission_for(editor, "publish").exists()
    assert set(
        policy.instances_user_has_permission_for(chief, "publish").values_list(
            "locale__language_code", flat=True
        )
    ) == {"en", "be", "ru"}


def test_everyone_on_the_desk_can_use_the_admin_and_pick_photos(
    editor, chief, translator_be, translator_ru
):
    for user in (editor, chief, translator_be, translator_ru):
        assert user.has_perm("wagtailadmin.access_admin")
        assert image_permissions.user_has_permission(user, "choose")
    assert image_permissions.user_has_permission(editor, "add")
    assert not image_permissions.user_has_permission(translator_be, "add")
    assert editor.has_perm("wagtail_localize.submit_translation")
    # Translators start and sync their language's translations themselves (the page trees
    # limit them to their language: digest.desk.translation.languages_for).
    assert translator_be.has_perm("wagtail_localize.submit_translation")


def test_translators_translate_the_weeks_topics_and_authors(translator_be, translator_ru):
    # Wagtail's snippet editor (and so wagtail-localize's translation editor for a snippet)
    # asks the model permission; the publish gate narrows it to their language.
    for translator in (translator_be, translator_ru):
        assert translator.has_perm("digest.change_topic")
        assert translator.has_perm("digest.change_author")
        assert not translator.has_perm("digest.add_topic")


def test_english_pages_are_moderated_by_chief_editors():
    workflow = Workflow.objects.get(name="Author → chief editor")
    assert workflow.active
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Chief editors"]
    english_home = HomePage.objects.get(locale=locale("en"))
    assert english_home.get_workflow() == workflow
    assert archive("en").get_workflow() == workflow


def test_translations_are_published_without_moderation():
    assert archive("be").get_workflow() is None
    assert archive("ru").get_workflow() is None


def test_setting_up_the_roles_again_changes_nothing(editor):
    before = set(GroupPagePermission.objects.values_list("group__name", "page_id", "permission_id"))

    roles_migration.set_up_roles(apps, None)

    after = set(GroupPagePermission.objects.values_list("group__name", "page_id", "permission_id"))
    assert after == before
    assert Workflow.objects.filter(name="Author → chief editor").count() == 1
    assert Page.objects.get(pk=archive("en").pk).get_workflow().name == "Author → chief editor"
