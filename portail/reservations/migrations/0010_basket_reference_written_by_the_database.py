"""A new basket's reference written by the database as the row is inserted.

A basket's reference is "PF" + year + its primary key on six digits or more
(Basket.make_reference()). The key is known only once the row exists, which took a second
statement per new basket (an UPDATE). Instead basket.py inserts "PF" + year and this
trigger completes it with the key in the same statement; Python computes the same value
from the key returned by the INSERT. A reference given in full (the demo's, the tests')
is left as it is: only exactly "PF" and four digits is completed.

Keep the two in step with Basket.make_reference():
tests/reservations/test_basket_reference.py checks them on both engines."""

from django.db import migrations

_PG = [
    """
CREATE OR REPLACE FUNCTION reservations_basket_reference() RETURNS trigger AS $$
BEGIN
    IF NEW.reference ~ '^PF[0-9]{4}$' THEN
        NEW.reference := NEW.reference || CASE
            WHEN NEW.id < 1000000 THEN lpad(NEW.id::text, 6, '0')
            ELSE NEW.id::text
        END;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
""",
    "DROP TRIGGER IF EXISTS reservations_basket_reference ON reservations_basket",
    "CREATE TRIGGER reservations_basket_reference BEFORE INSERT ON reservations_basket "
    "FOR EACH ROW EXECUTE FUNCTION reservations_basket_reference()",
]

_SQLITE = [
    "CREATE TRIGGER IF NOT EXISTS reservations_basket_reference AFTER INSERT "
    "ON reservations_basket WHEN NEW.reference GLOB 'PF[0-9][0-9][0-9][0-9]' "
    "BEGIN UPDATE reservations_basket SET reference = NEW.reference || printf('%06d', NEW.id) "
    "WHERE id = NEW.id; END",
]


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = _PG
    elif vendor == "sqlite":
        statements = _SQLITE
    else:  # pragma: no cover - the two engines the project supports
        raise NotImplementedError(vendor)
    for statement in statements:
        schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS reservations_basket_reference ON reservations_basket"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS reservations_basket_reference()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS reservations_basket_reference")


class Migration(migrations.Migration):
    dependencies = [("reservations", "0009_fk_indexes_covered")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
