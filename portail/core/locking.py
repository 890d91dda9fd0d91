"""The one locking helper.

Every rule that reads then writes shared state (places left in a session, a basket's
state, a payment's state) runs inside `transaction.atomic()` and takes its rows through
`locked()`. On PostgreSQL this is SELECT ... FOR UPDATE (rows locked in primary-key order,
so two transactions never deadlock on the same set). The lock is FOR NO KEY UPDATE: it
excludes every other locker of the row, but not PostgreSQL's own foreign-key checks (FOR KEY
SHARE) made when rows that point at it are written, which would otherwise take the locks
in another order and deadlock under load (seen in `make bench`). On SQLite the whole
database's write lock is taken at BEGIN (transaction_mode IMMEDIATE in settings), which
serialises writers.
"""

from collections.abc import Iterable
from typing import TypeVar

from django.db import connection, models, transaction
from django.db.models import Exists

M = TypeVar("M", bound=models.Model)


def locked(queryset: models.QuerySet[M]) -> list[M]:
    """Lock and return the rows of `queryset`, in primary-key order.

    Only the queryset's own rows are locked (FOR ... OF self): rows joined by
    select_related() are read, not locked, so loading a session's activity with it does
    not serialise every household booking that activity."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locked() must be called inside transaction.atomic()")
    return list(queryset.select_for_update(no_key=True, of=("self",)).order_by("pk"))


def locked_after(first: models.Model, queryset: models.QuerySet[M]) -> list[M]:
    """Lock `first`'s row, then return `queryset`'s rows locked as locked() does: two
    locks in one statement, in that order.

    `first`'s row is locked by an uncorrelated EXISTS (SELECT ... FOR NO KEY UPDATE) in
    `queryset`'s WHERE, which PostgreSQL evaluates once, before it reads any row of
    `queryset` (a one-time filter): that lock is taken before `queryset`'s, as two
    statements would take them, and a wait for it holds none of `queryset`'s (a test
    checks both). No row comes back when `first`'s row is gone. As with locked(),
    `queryset`'s rows come back as they are once locked, while the rows they join and
    their subqueries are read as they were when the statement began: nothing read here
    may depend on what the holder of `first`'s lock wrote (read it in a statement after
    this one)."""
    row = type(first).objects.filter(pk=first.pk)
    return locked(queryset.filter(Exists(row.select_for_update(no_key=True).order_by())))


def lock_ids(model: type[models.Model], ids: Iterable[int]) -> list[models.Model]:
    """Lock the rows of `model` with these primary keys."""
    return locked(model.objects.filter(pk__in=sorted(set(ids))))


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def try_locked(queryset: models.QuerySet[M]) -> list[M]:
    """Like locked(), but rows another transaction holds are skipped instead of waited for
    (SKIP LOCKED on PostgreSQL; SQLite's writer already holds the whole database). For a
    lock taken out of the usual order (a household after sessions): waiting there could
    deadlock, so the caller leaves the work for later when the row is busy."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("try_locked() must be called inside transaction.atomic()")
    return list(
        queryset.select_for_update(no_key=True, skip_locked=True, of=("self",)).order_by("pk")
    )
