"""Several querysets read in one statement: a tagged UNION ALL.

A request that must read unrelated rows at one moment (the judgement of a submission, once
its locks are held: the children and their enrolments, their bookings, the attendance
marks, the places taken, the waiting lists: facts.day_rows()) pays for each
statement a round trip to the database and its share of the server's work. `read_all()`
reads such querysets in one statement and gives back, for each, exactly what iterating it
would give: model instances with their `select_related()` objects and annotations, or
the tuples of a `values_list()`.

How: each queryset is compiled by Django's SQL compiler as it would be on its own; the
statement is `SELECT <tag>, <NULLs>, p.*, <NULLs> FROM (<its SQL>) p UNION ALL ...`,
each part's columns in a band of their own and NULL (typed like the column, so that
PostgreSQL lines the rows up) in the others' bands. The rows of each part are then handed
to the queryset's own iterable through the compiler that compiled it (its `execute_sql`
answering with those rows), so the ORM builds the objects and converts the values as
always. The compiler API used (`get_compiler()`, `as_sql()`, `select`, `col_count`,
`execute_sql()`) is the one Django's own iterables and combined queries use.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def read_all(parts: dict[str, QuerySet]) -> dict[str, list]:
    """Every queryset's results, by name, read in one statement (none when every part
    is empty). Orderings are dropped: sort the results in Python if they matter."""
    found: dict[str, list] = {name: [] for name in parts}
    compiled = []
    for name, queryset in parts.items():
        queryset = queryset.order_by()  # noqa: PLW2901 - a new queryset, unordered
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # a filter on an empty list: no row
            continue
        connection = compiler.connection
        nulls = [
            f"CAST(NULL AS {expression.output_field.cast_db_type(connection)})"
            for expression, _sql, _alias in compiler.select[: compiler.col_count]
        ]
        compiled.append((name, queryset, compiler, sql, params, nulls))
    if not compiled:
        return found
    selects: list[str] = []
    params: list = []
    bands: list[tuple[int, int]] = []
    for tag, (_name, _qs, _compiler, sql, part_params, nulls) in enumerate(compiled):
        before = [null for other in compiled[:tag] for null in other[5]]
        after = [null for other in compiled[tag + 1 :] for null in other[5]]
        columns = ", ".join([str(tag), *before, "p.*", *after])
        # The text is the compiler's SQL (values stay in params), tags and column types.
        selects.append(f"SELECT {columns} FROM ({sql}) p")  # noqa: S608
        params.extend(part_params)
        bands.append((1 + len(before), 1 + len(before) + len(nulls)))
    using = compiled[0][1].db
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        rows: list[list] = [[] for _ in compiled]
        for row in cursor.fetchall():
            start, end = bands[row[0]]
            rows[row[0]].append(row[start:end])
    for tag, (name, queryset, compiler, _sql, _params, _nulls) in enumerate(compiled):
        found[name] = _replayed(queryset, compiler, rows[tag])
    return found


def _replayed(queryset: QuerySet, compiler, rows: list) -> list:  # noqa: ANN001
    """What iterating `queryset` gives, from its `rows` as `compiler` compiled them."""
    # `queryset` is read_all()'s own unordered copy: nobody else iterates it.
    compiler.execute_sql = lambda *_args, **_kwargs: [rows]
    queryset.query.get_compiler = lambda *_args, **_kwargs: compiler
    return list(queryset._iterable_class(queryset))
