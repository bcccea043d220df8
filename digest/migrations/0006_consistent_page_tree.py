"""Databases loaded with an earlier demo have translated weeks whose child count is 0 although
they have articles (a deferred publish wrote back a stale count), which made adding a page under
them an IntegrityError. Recount every page's children; BasePage.save keeps them right since."""

from django.db import migrations


def recount_children(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    for page in Page.objects.only("pk", "path", "depth", "numchild").iterator():
        actual = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).count()
        if actual != page.numchild:
            Page.objects.filter(pk=page.pk).update(numchild=actual)


class Migration(migrations.Migration):
    dependencies = [
        ("digest", "0005_translators_run_their_language"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(recount_children, migrations.RunPython.noop)]
