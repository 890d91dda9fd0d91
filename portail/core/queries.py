"""Reading the one row a key picks."""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def one_or_none(queryset: models.QuerySet[M]) -> M | None:
    """The row `queryset` picks by a key or a unique constraint, or None.

    Like first(), without its ORDER BY: first() orders by the model's default ordering
    (or the key), which is compiled on every call for a result of one row at most. On the
    hot reads (a token, a household's open basket) that ordering was a sixth of the read's
    CPU (about 0.1-0.15 ms each, measured 4 December 2026)."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None
