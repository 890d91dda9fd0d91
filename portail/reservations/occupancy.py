"""Places taken in a session, computed from the bookings alone (no job needs to run).

A place is taken by a reserved booking, or by a requested one while its basket holds it:
open and not yet expired, or past the open stage (awaiting payment, paid, validated: the
checkout issue turns those bookings into reserved ones). A requested booking whose open
basket's expires_at has passed holds nothing, even before `portail expire_baskets` has
marked the basket expired.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from portail.core.union import read_all
from portail.reservations.models import (
    EXPIRING_BASKET_STATUSES,
    HELD_BOOKING_STATUSES,
    HOLDING_BASKET_STATUSES,
    PLACE_BOOKING_STATUSES,
    Basket,
    Booking,
)
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus

# "This booking holds a place", once, in its two forms: a query (holding(), for counting
# and listing) and a check of one loaded booking (holds_place(), for the rules). Both are
# built from the statuses in models.py and read the same three clauses; a test runs them
# over every booking status x basket status x expiry.


def held_outright(prefix: str = "") -> Q:
    """Bookings that hold their place outright, whatever their basket."""
    return Q(**{f"{prefix}status__in": PLACE_BOOKING_STATUSES})


def held_request(now: datetime.datetime, prefix: str = "") -> Q:
    """Requested bookings whose basket still holds their place at `now`."""
    p = prefix
    open_until = {
        f"{p}basket__status__in": EXPIRING_BASKET_STATUSES,
        f"{p}basket__expires_at__gt": now,
    }
    return Q(**{f"{p}status__in": HELD_BOOKING_STATUSES}) & (
        Q(**{f"{p}basket__isnull": True})
        | Q(**open_until)
        | Q(**{f"{p}basket__status__in": HOLDING_BASKET_STATUSES})
    )


def holding(now: datetime.datetime, prefix: str = "") -> Q:
    """Bookings that take a place at `now` (prefix: the path to Booking, e.g. "bookings__")."""
    return held_outright(prefix) | held_request(now, prefix)


def basket_holds(basket: Basket | None, now: datetime.datetime) -> bool:
    """Does this basket still hold its requests' places at `now` (none: a request made
    outside any basket holds its place)? The in-memory form of held_request()'s basket part."""
    if basket is None:
        return True
    if basket.status in EXPIRING_BASKET_STATUSES:
        return basket.expires_at is not None and basket.expires_at > now
    return basket.status in HOLDING_BASKET_STATUSES


def holds_place(booking: Booking | None, now: datetime.datetime) -> bool:
    """holding() for one loaded booking (its basket loaded): no query."""
    if booking is None:
        return False
    if booking.status in PLACE_BOOKING_STATUSES:
        return True
    return booking.status in HELD_BOOKING_STATUSES and basket_holds(booking.basket, now)


def taken_places(session_ids: Iterable[int], *, now: datetime.datetime) -> dict[int, int]:
    """Places taken in each session (sessions with none are absent). One query.

    Reserved bookings and held requests are counted apart (UNION ALL): each count then
    uses the (session, status) index, where one count with the OR would join every basket.
    """
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    reserved, held = (
        _counted(ids, condition) for condition in (held_outright(), held_request(now))
    )
    counts: dict[int, int] = {}
    for session_id, n in reserved.values_list("session_id", "n").union(
        held.values_list("session_id", "n"), all=True
    ):
        counts[session_id] = counts.get(session_id, 0) + n
    return counts


def _counted(ids: list[int], condition: Q) -> QuerySet:
    """The bookings of these sessions meeting `condition`, counted by session (`n`)."""
    # Unordered: Booking's default ordering would join sessions and children for nothing.
    in_sessions = Booking.objects.filter(session_id__in=ids).order_by()
    return in_sessions.filter(condition).values("session_id").annotate(n=Count("pk"))


def places_and_queues(
    session_ids: Iterable[int], *, now: datetime.datetime
) -> tuple[dict[int, int], dict[int, list[int]]]:
    """taken_places() and, in the same query, the children waiting for a place in each
    session (reservations.waiting), in rank order: what judging a day needs of the others."""
    return places_and_queues_from(read_all(places_and_queues_parts(session_ids, now=now)))


def places_and_queues_parts(
    session_ids: Iterable[int], *, now: datetime.datetime
) -> dict[str, QuerySet]:
    """places_and_queues()'s reads, for core.union.read_all() with more parts in the same
    statement (facts.day_rows()); none without a session. Fold what read_all() found with
    places_and_queues_from()."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    waiting = WaitingListEntry.objects.filter(session_id__in=ids, status=WaitingStatus.WAITING)
    return {
        _RESERVED: _counted(ids, held_outright()).values_list("session_id", "n"),
        _HELD: _counted(ids, held_request(now)).values_list("session_id", "n"),
        _WAITING: waiting.values_list("session_id", "position", "pk", "child_id"),
    }


def places_and_queues_from(
    found: dict[str, list],
) -> tuple[dict[int, int], dict[int, list[int]]]:
    """places_and_queues() from what core.union.read_all() found of its parts."""
    counts: dict[int, int] = {}
    for part in (_RESERVED, _HELD):
        for session_id, n in found.get(part, ()):
            counts[session_id] = counts.get(session_id, 0) + n
    lists: dict[int, list[int]] = {}
    for session_id, _position, _entry, child_id in sorted(found.get(_WAITING, ())):
        lists.setdefault(session_id, []).append(child_id)
    return counts, lists


# places_and_queues_parts()' names: a count of places taken (two kinds), a child waiting.
_RESERVED, _HELD, _WAITING = "places_reserved", "places_held", "waiting"
