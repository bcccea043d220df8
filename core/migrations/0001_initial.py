"""The outbound webhooks move from `home` to `core`, keeping their tables and every row.

Only Django's picture of the models moves (state_operations); the tables `home_webhookendpoint`
and `home_webhookdelivery` stay as they are (db_table on the models). Their ContentType rows
move to `core`, so the permissions of groups and the admin's log entries keep pointing at them.
home/migrations/0004 then forgets the models in `home`.
"""

import django.db.models.deletion
from django.db import migrations, models

import core.models

MODELS = ("webhookendpoint", "webhookdelivery")


def move_content_types(from_app, to_app):
    def move(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        db = schema_editor.connection.alias
        for model in MODELS:
            # A database that never had them has nothing to move: post_migrate creates them.
            if not ContentType.objects.using(db).filter(app_label=to_app, model=model).exists():
                ContentType.objects.using(db).filter(app_label=from_app, model=model).update(
                    app_label=to_app
                )

    return move


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0003_webhooks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WebhookEndpoint",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=100, verbose_name="name")),
                        (
                            "url",
                            models.URLField(
                                help_text="Receives a POST with the changed frontend paths as "
                                "signed JSON.",
                                max_length=500,
                                verbose_name="URL",
                            ),
                        ),
                        (
                            "secret",
                            models.CharField(
                                default=core.models.new_webhook_secret,
                                help_text="The receiver checks the X-Situation-Desk-Signature "
                                "header: “sha256=” and the HMAC-SHA256 of the body with this "
                                "secret, in hex.",
                                max_length=128,
                                verbose_name="signing secret",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                    ],
                    options={
                        "verbose_name": "webhook endpoint",
                        "verbose_name_plural": "webhook endpoints",
                        "db_table": "home_webhookendpoint",
                        "ordering": ["name"],
                    },
                ),
                migrations.CreateModel(
                    name="WebhookDelivery",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("url", models.URLField(max_length=500, verbose_name="URL")),
                        ("event", models.CharField(max_length=50, verbose_name="event")),
                        ("payload", models.JSONField(verbose_name="payload")),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "pending"),
                                    ("retrying", "retrying"),
                                    ("delivered", "delivered"),
                                    ("failed", "failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        (
                            "attempts",
                            models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
                        ),
                        (
                            "response_status",
                            models.PositiveSmallIntegerField(
                                blank=True, null=True, verbose_name="last HTTP status"
                            ),
                        ),
                        ("error", models.TextField(blank=True, verbose_name="last error")),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, db_index=True, verbose_name="created"
                            ),
                        ),
                        (
                            "last_attempt_at",
                            models.DateTimeField(
                                blank=True, null=True, verbose_name="last attempt"
                            ),
                        ),
                        (
                            "delivered_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="delivered"),
                        ),
                        (
                            "endpoint",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="deliveries",
                                to="core.webhookendpoint",
                                verbose_name="endpoint",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "webhook delivery",
                        "verbose_name_plural": "webhook deliveries",
                        "db_table": "home_webhookdelivery",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(
            move_content_types("home", "core"), reverse_code=move_content_types("core", "home")
        ),
    ]
