"""Fast bulk inserts for the generator: COPY on PostgreSQL, bulk_create elsewhere.

A city's year is a few million rows. Building a model instance per row and preparing
each value through the ORM costs more than the database's own work, so rows are given
as plain dicts {field attname: value}; fields left out take their default (auto_now
fields: now). Rows are written as given: no model save(), signals or manager rules
(the generator is responsible for writing consistent data). On PostgreSQL the primary
keys are taken from the table's own sequence first and the rows are written with COPY;
elsewhere (SQLite in the tests) bulk_create.
"""

import enum
from collections.abc import Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone
from psycopg.types.json import Jsonb

BATCH = 5000

Row = dict[str, Any]


def insert_rows(model: type[models.Model], rows: Sequence[Row]) -> list[int]:
    """Insert `rows` into `model`'s table; returns their primary keys, in order."""
    if not rows:
        return []
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    fields = list(meta.concrete_fields)
    attnames = {f.attname for f in fields}
    unknown = set(rows[0]) - attnames
    if unknown:
        raise ValueError(f"{meta.label} has no field(s) {sorted(unknown)}")
    if connection.vendor != "postgresql":
        # The base manager: some models refuse bulk_create on their default manager.
        objs = model._base_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH)
        return [obj.pk for obj in objs]

    now = timezone.now()
    defaults: dict[str, Any] = {}
    for f in fields:
        if f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:  # the field's default, else "" or None as Django would write
            defaults[f.attname] = f.get_default()
    pk = meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names = [f.attname for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"  # noqa: S608
        with cursor.cursor.copy(sql) as copy:
            for new_id, row in zip(ids, rows, strict=True):
                values = {**defaults, **row, pk.attname: new_id}
                copy.write_row([_plain(values[name]) for name in names])
    return ids


def _plain(value: Any) -> Any:
    """Choices enums as their plain value, dicts as JSON (what the COPY adapters want)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return Jsonb(value)
    return value
