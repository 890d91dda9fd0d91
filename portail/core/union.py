"""Several querysets read in one statement: a tagged UNION ALL.

A request that must read unrelated rows at one moment (the judgement of a submission, once
its locks are held: the children and their enrolments, their bookings, the attendance
marks, the places taken, the waiting lists) pays about as much per statement as per row
here: each statement is a round trip plus the ORM compiling it. `tagged_union()` reads
such parts in one statement. Each part is a queryset and the columns it gives, by name;
every part selects every part's columns, NULL (typed by the column's field, so that
PostgreSQL lines the rows up) where they are not its own, and a tag saying which part a
row comes from. Each row comes back as (part name, its own columns by name), converted as
the ORM converts them (the converters of a column's field).

`model_columns()` and `instance()` read whole model rows this way, as the ORM loads them.
"""

from collections.abc import Iterator

from django.db.models import Expression, F, Field, IntegerField, Model, QuerySet, Value
from django.db.models.functions import Cast

# A part's columns: name -> (the expression read, its field).
Columns = dict[str, tuple[Expression, Field]]


def tagged_union(parts: dict[str, tuple[QuerySet, Columns]]) -> Iterator[tuple[str, dict]]:
    """The rows of every part, read in one statement: (part name, {column: value})."""
    slots = [
        (part, name, field)
        for part, (_qs, cols) in parts.items()
        for name, (_e, field) in cols.items()
    ]
    aliases = [f"u{i}" for i in range(len(slots))]
    tags = list(parts)
    selects = []
    for tag, (part, (qs, columns)) in enumerate(parts.items()):
        picked = {
            alias: columns[name][0] if owner == part else Cast(Value(None), output_field=field)
            for alias, (owner, name, field) in zip(aliases, slots, strict=True)
        }
        selects.append(
            qs.order_by()
            .annotate(u_tag=Value(tag, output_field=IntegerField()), **picked)
            .values_list("u_tag", *aliases)
        )
    first, *others = selects
    for row in first.union(*others, all=True) if others else first:
        part = tags[row[0]]
        yield (
            part,
            {
                name: value
                for (owner, name, _field), value in zip(slots, row[1:], strict=True)
                if owner == part
            },
        )


def model_columns(
    model: type[Model], path: str = "", only: tuple[str, ...] | None = None
) -> Columns:
    """Every column of `model` (or `only` these attnames), reached from the queried model
    by `path` ("" for itself, "basket__" for a booking's basket), named `path` + attname."""
    fields = [f for f in model._meta.concrete_fields if only is None or f.attname in only]
    return {path + f.attname: (F(path + f.attname), f) for f in fields}


def instance(model: type[Model], row: dict, db: str, path: str = "") -> Model:
    """The `model` instance read by model_columns(model, path), as the ORM loads it."""
    names = [f.attname for f in model._meta.concrete_fields]
    return model.from_db(db, names, [row[path + name] for name in names])
