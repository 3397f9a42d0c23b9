"""Outbox rows get a fixed Message-ID (existing rows one each, before the column becomes unique), the time an
attempt started (so a cut-short attempt is found) and the time of the next attempt (back-off)."""

from django.db import migrations, models

import enrolment.models


def give_each_row_a_message_id(apps, schema_editor):
    OutboxMessage = apps.get_model("enrolment", "OutboxMessage")
    rows = list(OutboxMessage.objects.filter(message_id__isnull=True).only("pk"))
    for row in rows:
        row.message_id = enrolment.models.new_message_id()
    OutboxMessage.objects.bulk_update(rows, ["message_id"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0009_certificate"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxmessage",
            name="attempt_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="attempt under way since"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(max_length=255, null=True, verbose_name="Message-ID"),
        ),
        migrations.RunPython(give_each_row_a_message_id, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="outboxmessage",
            name="message_id",
            field=models.CharField(
                default=enrolment.models.new_message_id, max_length=255, unique=True, verbose_name="Message-ID"
            ),
        ),
    ]
