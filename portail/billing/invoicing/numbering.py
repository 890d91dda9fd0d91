"""Gapless numbers per prefix and year: FA2026-000123 for invoices, AV2026-000004 for
credit notes.

`take()` locks the sequence's row and moves it on by `count`, inside the caller's
transaction: the numbers are given only if that transaction commits, and a concurrent
numberer waits for the commit (or the rollback, which gives the numbers back). The row
is created on first use without a race (an insert that ignores a conflict, then the
lock).
"""

from django.db import transaction

from portail.billing.models import NumberSequence
from portail.core.locking import locked


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}{year}-{seq:06d}"


def take(prefix: str, year: int, count: int = 1) -> list[int]:
    """The next `count` numbers of the year, in order (call inside transaction.atomic())."""
    if count < 1:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("numbering.take() must be called inside transaction.atomic()")
    NumberSequence.objects.bulk_create(
        [NumberSequence(prefix=prefix, year=year)], ignore_conflicts=True
    )
    (row,) = locked(NumberSequence.objects.filter(prefix=prefix, year=year))
    first = row.last_number + 1
    row.last_number += count
    row.save(update_fields=["last_number"])
    return list(range(first, first + count))
