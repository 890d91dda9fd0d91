"""The expiry is required (a separate migration: on PostgreSQL, altering a table in the
transaction that updated its rows can fail on pending trigger events)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0002_apitoken_label_expires_at"),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(db_index=True, verbose_name="expires"),
        ),
    ]
