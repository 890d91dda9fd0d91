"""Several querysets read in one statement: a tagged UNION ALL.

A request that must read unrelated rows at one moment (the judgement of a submission, once
its locks are held: the children and their enrolments, their bookings, the attendance
marks, the places taken, the waiting lists) pays about as much per statement as per row
here: each statement is a round trip plus the ORM compiling it. `tagged_union()` reads
such parts in one statement. Each part is a queryset and the columns it gives, by name;
every part selects every part's columns, NULL (typed by the column's field, so that
PostgreSQL lines the rows up) where they are not its own, and a tag saying which part a
row comes from. Each row comes back as (part name, its own columns by name), converted as
the ORM converts them (the converters its part's compiler would apply).

Each part is compiled by Django's SQL compiler with its own columns only, and wrapped in
plain SQL that adds the tag and the NULLs (`SELECT 2, NULL, p."u7", ... FROM (<part>) p`):
built as ORM expressions, hundreds of NULL columns cost more Python than the statements
they save. The compiler's select list and converters are the API read here
(`get_compiler()`, `as_sql()`, `select`, `get_converters()`, `apply_converters()`), as
Django's own combined queries read them.

`model_columns()` and `instance()` read whole model rows this way, as the ORM loads them.
"""

from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Expression, F, Field, Model, QuerySet

# A part's columns: name -> (the expression read, its field).
Columns = dict[str, tuple[Expression, Field]]


def tagged_union(parts: dict[str, tuple[QuerySet, Columns]]) -> Iterator[tuple[str, dict]]:
    """The rows of every part, read in one statement: (part name, {column: value})."""
    using = next(iter(parts.values()))[0].db
    connection = connections[using]
    slots = [
        (part, name, field)
        for part, (_qs, columns) in parts.items()
        for name, (_expression, field) in columns.items()
    ]
    tags = list(parts)
    selects: list[str] = []
    params: list = []
    readers: dict[int, tuple] = {}
    for tag, (part, (qs, columns)) in enumerate(parts.items()):
        own = {f"u{i}": columns[name][0] for i, (o, name, _f) in enumerate(slots) if o == part}
        compiler = qs.order_by().annotate(**own).values_list(*own).query.get_compiler(using=using)
        try:
            sql, part_params = compiler.as_sql()
        except EmptyResultSet:  # a filter on an empty list: the part has no row
            continue
        outer = [str(tag)] + [
            f"p.{connection.ops.quote_name(f'u{i}')}"
            if owner == part
            else f"CAST(NULL AS {field.cast_db_type(connection)})"
            for i, (owner, _name, field) in enumerate(slots)
        ]
        # The text is the compiler's SQL (values stay in params), tags and field types.
        selects.append(f"SELECT {', '.join(outer)} FROM ({sql}) p")  # noqa: S608
        params.extend(part_params)
        selected = compiler.select[: compiler.col_count]
        readers[tag] = (
            compiler,
            compiler.get_converters([expression for expression, _sql, _alias in selected]),
            [int(alias[1:]) for _expression, _sql, alias in selected],
        )
    if not selects:
        return
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows = cursor.fetchall()
    for row in rows:
        compiler, converters, positions = readers[row[0]]
        values = [row[1 + i] for i in positions]
        if converters:
            values = next(compiler.apply_converters([values], converters))
        yield tags[row[0]], {slots[i][1]: v for i, v in zip(positions, values, strict=True)}


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
