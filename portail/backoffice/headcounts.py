"""Head counts (effectifs): how many children each session expects, for the kitchens and
the leisure centres.

Per session (one activity of one site on one day): the confirmed bookings (`reserved`),
the requests awaiting payment that hold a place (`requested`: an open basket still within
its hold, or a basket being paid; occupancy.holding() is the one rule, so an expired hold
counts for nothing, exactly as for the places left), the places left, and how many of the
children expected have a special diet or a PAI (with their names, for the kitchen's order).

Four queries whatever the number of days, sessions and bookings: the sessions, the paid
bookings counted per session (from the (session, status) index alone), the requests
holding a place counted per session, and the few children with a diet or a PAI.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from portail.activities.models import Session
from portail.reservations.models import Booking, BookingStatus
from portail.reservations.occupancy import holding

# The longest range one page or export covers (a month, with room for 31 days).
MAX_DAYS = 31
PERIODS = ("day", "week", "month")


@dataclass(frozen=True)
class DietChild:
    """A child expected on a session with a special diet or a PAI."""

    first_name: str
    last_name: str
    special_diet: str
    has_pai: bool
    confirmed: bool  # False: the request still awaits payment


@dataclass
class HeadCount:
    session_id: int
    date: datetime.date
    site_id: int
    site: str
    activity_id: int
    activity: str
    start: datetime.time
    end: datetime.time
    requires_booking: bool
    capacity: int
    is_open: bool
    closed_reason: str
    reserved: int = 0
    requested: int = 0
    diet_children: list[DietChild] = field(default_factory=list)

    @property
    def expected(self) -> int:
        """Children to plan for: confirmed plus awaiting payment (both hold a place)."""
        return self.reserved + self.requested

    @property
    def places_left(self) -> int:
        """Places a family can still book (none on a closed day)."""
        if not self.is_open:
            return 0
        return max(0, self.capacity - self.expected)

    @property
    def special_diet(self) -> int:
        return sum(1 for c in self.diet_children if c.special_diet)

    @property
    def pai(self) -> int:
        return sum(1 for c in self.diet_children if c.has_pai)

    @property
    def diets(self) -> list[tuple[str, int]]:
        """Each special diet with its number of children, most frequent first."""
        counts = Counter(c.special_diet.strip() for c in self.diet_children if c.special_diet)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))

    @property
    def diets_text(self) -> str:
        """ "sans porc ×3; végétarien ×1" (the exports' column)."""
        return "; ".join(f"{diet} ×{n}" for diet, n in self.diets)


def period_range(day: datetime.date, period: str) -> tuple[datetime.date, datetime.date]:
    """The days a page covers: the day, its ISO week (Monday to Sunday), or its month."""
    if period == "week":
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if period == "month":
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return start, following - datetime.timedelta(days=1)
    if period == "day":
        return day, day
    raise ValueError(f"Unknown period {period!r}")


def head_counts(
    start: datetime.date,
    end: datetime.date,
    *,
    site_ids: Iterable[int] | None = None,
    session_ids: Iterable[int] | None = None,
    now: datetime.datetime | None = None,
) -> list[HeadCount]:
    """Every session from `start` to `end` (of these sites, or these sessions; all when
    None), counted now.

    Ordered by date, site, start time, activity. Four queries; at most MAX_DAYS days.
    """
    if end < start:
        raise ValueError("end is before start")
    if (end - start).days >= MAX_DAYS:
        raise ValueError(f"At most {MAX_DAYS} days at once")
    now = now or timezone.now()
    sessions = Session.objects.filter(date__range=(start, end))
    if site_ids is not None:
        sessions = sessions.filter(activity__site_id__in=list(site_ids))
    if session_ids is not None:
        sessions = sessions.filter(pk__in=list(session_ids))
    rows = list(
        sessions.order_by(
            "date", "activity__site__name", "activity__start_time", "activity__name", "pk"
        ).values_list(
            "pk",
            "date",
            "activity__site_id",
            "activity__site__name",
            "activity_id",
            "activity__name",
            "activity__start_time",
            "activity__end_time",
            "activity__requires_booking",
            "capacity",
            "is_open",
            "closed_reason",
        )
    )
    counts = {row[0]: HeadCount(*row) for row in rows}
    if not counts:
        return []
    ids = list(counts)
    # Two counts, so that the big one (the paid bookings) needs no join: COUNT(*) over
    # the (session, status) index alone. Requests are few, and need their basket.
    reserved = (
        Booking.objects.filter(session_id__in=ids, status=BookingStatus.RESERVED)
        .order_by()
        .values("session_id")
        .annotate(n=Count("*"))
        .values_list("session_id", "n")
    )
    for session_id, n in reserved:
        counts[session_id].reserved = n
    requested = (
        Booking.objects.filter(holding(now), session_id__in=ids, status=BookingStatus.REQUESTED)
        .order_by()
        .values("session_id")
        .annotate(n=Count("*"))
        .values_list("session_id", "n")
    )
    for session_id, n in requested:
        counts[session_id].requested = n
    booked = Booking.objects.filter(holding(now), session_id__in=ids)
    diets = (
        booked.filter(Q(child__has_pai=True) | ~Q(child__special_diet=""))
        .order_by("session_id", "child__last_name", "child__first_name", "child_id")
        .values_list(
            "session_id",
            "child__first_name",
            "child__last_name",
            "child__special_diet",
            "child__has_pai",
            "status",
        )
    )
    for session_id, first, last, diet, pai, status in diets:
        counts[session_id].diet_children.append(
            DietChild(first, last, diet, pai, status == BookingStatus.RESERVED)
        )
    return list(counts.values())


def session_count(session: Session, *, now: datetime.datetime | None = None) -> HeadCount:
    """The head count of one session."""
    (count,) = head_counts(session.date, session.date, session_ids=[session.pk], now=now)
    return count


@dataclass
class DayCounts:
    """The sessions of one day, for the page (one table per day)."""

    date: datetime.date
    rows: list[HeadCount]

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.rows)

    @property
    def reserved(self) -> int:
        return sum(r.reserved for r in self.rows)

    @property
    def requested(self) -> int:
        return sum(r.requested for r in self.rows)


def by_day(counts: list[HeadCount]) -> list[DayCounts]:
    days: dict[datetime.date, DayCounts] = {}
    for row in counts:
        days.setdefault(row.date, DayCounts(row.date, [])).rows.append(row)
    return list(days.values())
