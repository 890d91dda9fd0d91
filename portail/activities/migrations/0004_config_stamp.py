"""The configuration stamp and the triggers that change it (activities.models.ConfigStamp).

A new random value on every write to the tables the price book and the booking windows
are read from. Random, not a counter: a rolled-back write puts the old value back, and a
counter would then give the same number to two different contents."""

import secrets

from django.db import migrations, models

# The tables whose rows activities/config_cache.py keeps in memory.
TABLES = (
    "activities_tariff",
    "activities_tariffband",
    "activities_tariff_activities",
    "activities_bookingwindow",
    "activities_bookingwindow_activities",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION portail_new_config_stamp() RETURNS trigger AS $$
BEGIN
    UPDATE activities_configstamp SET value = md5(random()::text || clock_timestamp()::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""


def _pg_statements(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}",
        f"CREATE TRIGGER {table}_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION portail_new_config_stamp()",
    ]


def _sqlite_statements(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_stamp_{event.lower()} AFTER {event} ON {table} "
        "BEGIN UPDATE activities_configstamp SET value = lower(hex(randomblob(16))); END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    apps.get_model("activities", "ConfigStamp").objects.create(pk=1, value=secrets.token_hex(16))
    if connection.vendor == "postgresql":
        statements = [_PG_FUNCTION] + [s for t in TABLES for s in _pg_statements(t)]
    elif connection.vendor == "sqlite":
        statements = [s for t in TABLES for s in _sqlite_statements(t)]
    else:  # pragma: no cover - the two engines the project supports
        raise NotImplementedError(connection.vendor)
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    for table in TABLES:
        if connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{event}")
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS portail_new_config_stamp()")


class Migration(migrations.Migration):
    dependencies = [("activities", "0003_booking_windows")]

    operations = [
        migrations.CreateModel(
            name="ConfigStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.CharField(max_length=32)),
            ],
            options={"verbose_name": "configuration stamp"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
