"""Places taken in a session, computed from the bookings alone (no job needs to run).

A place is taken by a reserved booking, or by a requested one while its basket holds it:
open and not yet expired, or past the open stage (awaiting payment, paid, validated: the
checkout issue turns those bookings into reserved ones). A requested booking whose open
basket's expires_at has passed holds nothing, even before `portail expire_baskets` has
marked the basket expired.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q

from portail.reservations.models import (
    HOLDING_BASKET_STATUSES,
    BasketStatus,
    Booking,
    BookingStatus,
)


def held_request(now: datetime.datetime, prefix: str = "") -> Q:
    """Requested bookings whose basket still holds their place at `now`."""
    p = prefix
    return Q(**{f"{p}status": BookingStatus.REQUESTED}) & (
        Q(**{f"{p}basket__isnull": True})
        | Q(**{f"{p}basket__status": BasketStatus.OPEN, f"{p}basket__expires_at__gt": now})
        | Q(**{f"{p}basket__status__in": HOLDING_BASKET_STATUSES})
    )


def holding(now: datetime.datetime, prefix: str = "") -> Q:
    """Bookings that take a place at `now` (prefix: the path to Booking, e.g. "bookings__")."""
    return Q(**{f"{prefix}status": BookingStatus.RESERVED}) | held_request(now, prefix)


def taken_places(session_ids: Iterable[int], *, now: datetime.datetime) -> dict[int, int]:
    """Places taken in each session (sessions with none are absent). One query.

    Reserved bookings and held requests are counted apart (UNION ALL): each count then
    uses the (session, status) index, where one count with the OR would join every basket.
    """
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    # Unordered: Booking's default ordering would join sessions and children for nothing.
    in_sessions = Booking.objects.filter(session_id__in=ids).order_by()
    reserved, held = (
        in_sessions.filter(condition)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
        for condition in (Q(status=BookingStatus.RESERVED), held_request(now))
    )
    counts: dict[int, int] = {}
    for session_id, n in reserved.union(held, all=True):
        counts[session_id] = counts.get(session_id, 0) + n
    return counts
