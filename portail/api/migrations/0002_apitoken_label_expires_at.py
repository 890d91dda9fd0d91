"""Tokens get a label and an expiry; tokens issued before expire PORTAIL_API_TOKEN_DAYS
after they were created (0003 then makes the expiry required)."""

import datetime

from django.conf import settings
from django.db import migrations, models


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    lifetime = datetime.timedelta(days=settings.PORTAIL_API_TOKEN_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + lifetime)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="label",
            field=models.CharField(
                blank=True,
                help_text="Given by the application that asked for the token, to recognise it.",
                max_length=100,
                verbose_name="label",
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
    ]
