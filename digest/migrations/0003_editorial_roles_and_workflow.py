"""The desk's roles and the English moderation workflow, out of the box.

- "Editors" write the English tree (add and edit, no publishing) and send weeks to translation.
- "Chief editors" approve and publish. They sign a week off in every language, so their page
  permissions cover all three home pages.
- "Translators (BE)" / "Translators (RU)" edit and publish only their locale's tree.
- The workflow "Author → chief editor" (one task: chief editor approval) moderates English pages.

Wagtail's installation has its own "Editors" group (add and edit anywhere) and a "Moderators
approval" workflow on the root page, which would put the Belarusian and Russian trees under
moderation too; the "Editors" group is narrowed to English and the root assignment is removed,
so translators publish their language directly (they are the last reader of their text).

Running this again changes nothing: every object is looked up before it is created, and each of
our groups ends with exactly the page permissions listed here (model and image permissions are
only ever added).
"""

from django.db import migrations

ENGLISH, BELARUSIAN, RUSSIAN = "en", "be", "ru"

EDITORS = "Editors"
CHIEF_EDITORS = "Chief editors"
TRANSLATORS = {BELARUSIAN: "Translators (BE)", RUSSIAN: "Translators (RU)"}
WORKFLOW_NAME = "Author → chief editor"
TASK_NAME = "Chief editor approval"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"

# (app label, model, codename, name): created here when missing, because Django only adds
# model permissions after all migrations have run.
PERMISSIONS = {
    "access_admin": ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin"),
    "submit_translation": (
        "wagtail_localize",
        "translation",
        "submit_translation",
        "Can submit translations",
    ),
    "add_page": ("wagtailcore", "page", "add_page", "Can add page"),
    "change_page": ("wagtailcore", "page", "change_page", "Can change page"),
    "publish_page": ("wagtailcore", "page", "publish_page", "Can publish page"),
    "lock_page": ("wagtailcore", "page", "lock_page", "Can lock page"),
    "unlock_page": ("wagtailcore", "page", "unlock_page", "Can unlock page"),
    "add_image": ("wagtailimages", "image", "add_image", "Can add image"),
    "change_image": ("wagtailimages", "image", "change_image", "Can change image"),
    "choose_image": ("wagtailimages", "image", "choose_image", "Can choose image"),
    "view_topic": ("digest", "topic", "view_topic", "Can view topic"),
    "add_topic": ("digest", "topic", "add_topic", "Can add topic"),
    "change_topic": ("digest", "topic", "change_topic", "Can change topic"),
    "view_author": ("digest", "author", "view_author", "Can view author"),
    "add_author": ("digest", "author", "add_author", "Can add author"),
    "change_author": ("digest", "author", "change_author", "Can change author"),
}

# group: (model permissions, {locale: page permissions}, image collection permissions)
ROLES = {
    EDITORS: (
        ["access_admin", "submit_translation", "view_topic", "view_author", "add_author",
         "change_author"],
        {ENGLISH: ["add_page", "change_page"]},
        ["add_image", "change_image", "choose_image"],
    ),
    CHIEF_EDITORS: (
        ["access_admin", "submit_translation", "view_topic", "add_topic", "change_topic",
         "view_author", "add_author", "change_author"],
        {
            code: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
            for code in (ENGLISH, BELARUSIAN, RUSSIAN)
        },
        ["add_image", "change_image", "choose_image"],
    ),
    # Translators translate author names and roles (Django's model permissions cannot be limited
    # to one locale, so a translator could also edit an English author; the page trees, where
    # the articles live, are limited to their language).
    **{
        group: (
            ["access_admin", "view_topic", "view_author", "change_author"],
            {code: ["add_page", "change_page", "publish_page"]},
            ["choose_image"],
        )
        for code, group in TRANSLATORS.items()
    },
}


def permission(apps, key):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    app_label, model, codename, name = PERMISSIONS[key]
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )[0]


def home_pages(apps):
    HomePage = apps.get_model("home.HomePage")
    return {
        home.locale.language_code: home
        for home in HomePage.objects.filter(depth=2).select_related("locale")
    }


def set_up_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    homes = home_pages(apps)
    root_collection = Collection.objects.filter(depth=1).first()
    groups = {}
    for name, (model_permissions, page_permissions, image_permissions) in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        groups[name] = group
        group.permissions.add(*(permission(apps, key) for key in model_permissions))

        wanted = {
            (homes[code].pk, permission(apps, key).pk)
            for code, keys in page_permissions.items()
            if code in homes
            for key in keys
        }
        for existing in GroupPagePermission.objects.filter(group=group):
            if (existing.page_id, existing.permission_id) not in wanted:
                existing.delete()
        for page_id, permission_id in wanted:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=page_id, permission_id=permission_id
            )

        if root_collection is not None:
            for key in image_permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(apps, key)
                )
    set_up_workflow(apps, groups[CHIEF_EDITORS], homes.get(ENGLISH))


def set_up_workflow(apps, chief_editors, english_home):
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.set([chief_editors])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    if english_home is not None:
        WorkflowPage.objects.update_or_create(page=english_home, defaults={"workflow": workflow})
    WorkflowPage.objects.filter(page__depth=1, workflow__name=WAGTAIL_DEFAULT_WORKFLOW).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("digest", "0002_topics_and_archives"),
        ("home", "0002_initial_site"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(set_up_roles, migrations.RunPython.noop)]
