"""What rules.py decides over: the facts of many children's days, loaded at once.

The planning (planning.py) and the judgement of submitted changes (judging.py) ask rules.py
the same questions over the same facts: the active bookings, the cancellations waiting in
the open basket, the attendance marks, the enrolments, the places taken, the prices and
the household's family files where the city requires them (rules.family_file_missing).
They are loaded here in a fixed number of queries whatever the number of children, days
or activities, then each day's `rules.Situation` is read from them without a query.

Every query is unordered (.order_by()): the models' default orderings would join
sessions, children and activities for nothing.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, QuerySet

from portail.activities.models import Enrolment, Session
from portail.activities.pricing import PriceBook
from portail.core.union import read_all
from portail.families import quotient
from portail.families.family_files import family_file_years
from portail.families.models import Child, Household
from portail.reservations import rules, windows
from portail.reservations.models import (
    ACTIVE_BOOKING_STATUSES,
    Attendance,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    LineKind,
)
from portail.reservations.occupancy import places_and_queues_from, places_and_queues_parts

Key = tuple[int, int]  # (child_id, session_id): one child's day


@dataclass
class Facts:
    """Everything rules.py needs on a set of children's days."""

    household: Household
    bookings: dict[Key, Booking]  # active (requested or reserved), their basket loaded
    cancel_pending: set[int]  # bookings whose cancellation waits in the open basket
    attendance: dict[Key, Attendance]
    enrolments: dict[tuple[int, int], list[Enrolment]]  # by (child_id, activity_id)
    taken: dict[int, int]  # places taken, by session (occupancy.taken_places)
    book: PriceBook | None = field(default=None, repr=False)
    # The school years the household has an accepted family file for, among those the
    # city's gate concerns (family_file_gate()); None: the gate does not apply (staff).
    family_files: frozenset[int] | None = None
    # The booking windows still to come (windows.WindowGate), loaded on the first day
    # judged: a few queries whatever the number of days.
    window_gate: windows.WindowGate | None = field(default=None, repr=False)
    # The last cancelled booking of each day that has no active one: what a past day was
    # (rules.cell_view says "Cancelled"). Loaded by the parents' planning only.
    cancelled: dict[Key, Booking] = field(default_factory=dict)
    # The children waiting for a place, in rank order, by session (occupancy.places_and_queues()).
    waiting: dict[int, list[int]] = field(default_factory=dict)
    # The household's QF periods were just read under its lock (holds.open_with_quotients).
    quotients_read: bool = False
    # The configuration stamp read with the sessions (activities.config_cache): the booking
    # windows come from the process's memory when they were read under it.
    config_stamp: str | None = None

    def __post_init__(self) -> None:
        if self.book is not None and not self.quotients_read:
            # The household's QF periods, read afresh (one query): a price follows the QF
            # as it is now, not as an instance loaded earlier in the request saw it.
            quotient.forget(self.household)
            quotient.attach([self.household])

    def price(self, activity_id: int, day: datetime.date, late: bool) -> int:
        """What the household pays for this day (its quotient familial on that day)."""
        assert self.book is not None  # loaded whenever there is a session to price
        return self.book.price(activity_id, day, self.household.qf_on(day), late=late)

    def situation(self, child: Child, session: Session) -> rules.Situation:
        """This child's day as rules.py sees it."""
        key = (child.pk, session.pk)
        booking = self.bookings.get(key)
        return rules.Situation(
            session=session,
            enrolled=any(
                e.covers(session.date)
                for e in self.enrolments.get((child.pk, session.activity_id), ())
            ),
            attendance=self.attendance.get(key),
            booking=booking,
            cancel_pending=booking is not None and booking.pk in self.cancel_pending,
            taken=self.taken.get(session.pk, 0),
            family_file_missing=self.family_file_missing(session),
            window=self.window(child, session),
            cancelled=self.cancelled.get(key) if booking is None else None,
            **self.waiting_place(child, session),
        )

    def waiting_place(self, child: Child, session: Session) -> dict[str, int | None]:
        """Situation.waiting_ahead and waiting_rank: the entries waiting before this
        child (all of them for a child not on the list), and the child's own rank."""
        queue = self.waiting.get(session.pk, [])
        if child.pk in queue:
            index = queue.index(child.pk)
            return {"waiting_ahead": index, "waiting_rank": index + 1}
        return {"waiting_ahead": len(queue), "waiting_rank": None}

    def window(self, child: Child, session: Session) -> windows.WindowView | None:
        """The booking window governing this child's day, if one is still to come."""
        if self.window_gate is None:
            self.window_gate = windows.WindowGate.load(self.household, self.config_stamp)
        return self.window_gate.view(child.pk, session)

    def family_file_missing(self, session: Session) -> int | None:
        """The school year whose family file this day needs and the household lacks."""
        if self.family_files is None:
            return None
        return rules.family_file_missing(session, self.family_files)


def children_with_enrolments(children: QuerySet[Child]) -> tuple[list[Child], list[Enrolment]]:
    """These children, in the queryset's order, and all their enrolments, in one query: an
    outer join (a child has a handful of enrolments: all of them are read)."""
    return _split_enrolments(_with_enrolments(children))


def _with_enrolments(children: QuerySet[Child]) -> QuerySet[Child]:
    return children.annotate(
        **{f"enrolment_{name}": F(f"enrolments__{name}") for name in _ENROLMENT}
    )


def _split_enrolments(rows: Iterable[Child]) -> tuple[list[Child], list[Enrolment]]:
    found: dict[int, Child] = {}
    enrolments: list[Enrolment] = []
    for row in rows:
        found.setdefault(row.pk, row)
        if row.enrolment_id is not None:
            fields = {name: getattr(row, f"enrolment_{name}") for name in _ENROLMENT}
            enrolments.append(Enrolment(child_id=row.pk, **fields))
    return list(found.values()), enrolments


# What an enrolment holds, read with its child (children_with_enrolments()).
_ENROLMENT = ("id", "activity_id", "valid_from", "valid_to")


def config_stamp(sessions: Iterable[Session]) -> str | None:
    """The configuration stamp the sessions were read with (`config_cache.stamp_column()`
    annotated as `config_stamp`); None without sessions."""
    return next((s.config_stamp for s in sessions), None)


def family_file_gate(
    household: Household, sessions: Iterable[Session], *, staff: bool
) -> frozenset[int] | None:
    """Facts.family_files: the school years of these days that the city's family-file gate
    concerns (rules.family_file_missing) and the household has an accepted file for. One
    query, none when the gate concerns no day (the city's setting comes with the sessions:
    their activity.site.organisation is loaded). None for staff: the gate holds back
    families only, the staff see the file at the counter."""
    if staff:
        return None
    concerned = {rules.family_file_missing(s, ()) for s in sessions} - {None}
    return family_file_years(household, concerned)


@dataclass
class DayRows:
    """What judging changes reads of the children's days once the sessions are locked."""

    children: dict[int, Child]  # the household's own children among those named
    enrolments: list[Enrolment]  # theirs, all of them
    bookings: dict[Key, Booking]  # active, basket loaded, `being_paid` said
    attendance: dict[Key, Attendance]
    taken: dict[int, int]  # places taken, by session (occupancy.places_and_queues())
    waiting: dict[int, list[int]]  # children waiting, in rank order, by session


def day_rows(
    household: Household,
    child_ids: Iterable[int],
    session_ids: Iterable[int],
    *,
    now: datetime.datetime,
) -> DayRows:
    """The household's children among `child_ids` with their enrolments; their requested
    or reserved booking of each day (at most one), basket loaded, each saying whether its
    cancellation waits in a basket being paid (`being_paid`); the attendance recorded on
    their days (a mark may have no booking); the places taken and the waiting lists of
    these days. One statement, core.union.read_all(): read once the sessions are locked,
    it sees every place taken by a submission that held them before.

    The household's open basket (with its QF periods and credit) and its lines are read
    apart (holds.open_with_quotients, summary.lines_with_facts): as parts of this statement
    they made PostgreSQL plan it in 3.4-3.8 ms instead of 0.9 ms, for 0.4 ms apart
    (EXPLAIN ANALYZE, 4 December 2026; docs/benchmarks.md)."""
    children_ids, days = sorted(set(child_ids)), sorted(set(session_ids))
    where = {"child__household": household, "child_id__in": children_ids, "session_id__in": days}
    bookings = Booking.objects.filter(**where, status__in=ACTIVE_BOOKING_STATUSES)
    parts = {
        "children": _with_enrolments(
            Child.objects.filter(household=household, pk__in=children_ids)
        ),
        "bookings": bookings.annotate(
            being_paid=_cancellation_in(status=BasketStatus.AWAITING_PAYMENT)
        ).select_related("basket"),
        "attendance": Attendance.objects.filter(**where),
        **places_and_queues_parts(days, now=now),
    }
    found = read_all(parts)
    children, enrolments = _split_enrolments(found["children"])
    taken, waiting = places_and_queues_from(found)
    return DayRows(
        children={child.pk: child for child in children},
        enrolments=enrolments,
        bookings={(b.child_id, b.session_id): b for b in found["bookings"]},
        attendance={(a.child_id, a.session_id): a for a in found["attendance"]},
        taken=taken,
        waiting=waiting,
    )


@dataclass
class WeekRows:
    """What the planning reads of its days besides the sessions: the bookings and the
    places (bookings_and_places())."""

    bookings: dict[Key, Booking]  # active, basket loaded, `cancel_pending` said
    cancelled: dict[Key, Booking]  # the last cancelled booking of a day without an active one
    taken: dict[int, int]  # places taken, by session (occupancy.places_and_queues())
    waiting: dict[int, list[int]]  # children waiting, in rank order, by session


def bookings_and_places(
    child_ids: Iterable[int], session_ids: Iterable[int], *, now: datetime.datetime
) -> WeekRows:
    """The active bookings (as day_rows() reads them) and the last cancelled booking of
    each day (the highest id: bookings are never reopened, a new one is made), with the
    places taken and the waiting lists of these days: one statement
    (core.union.read_all()). Each active booking says whether its cancellation waits in
    an open basket still holding (`cancel_pending`)."""
    session_ids = list(session_ids)
    bookings = (
        Booking.objects.filter(
            child_id__in=list(child_ids),
            session_id__in=session_ids,
            status__in=(*ACTIVE_BOOKING_STATUSES, BookingStatus.CANCELLED),
        )
        .annotate(
            cancel_pending=_cancellation_in(status=BasketStatus.OPEN, basket__expires_at__gt=now)
        )
        .select_related("basket")
        .order_by()
    )
    found = read_all({"bookings": bookings, **places_and_queues_parts(session_ids, now=now)})
    active: dict[Key, Booking] = {}
    cancelled: dict[Key, Booking] = {}
    for b in found["bookings"]:
        key = (b.child_id, b.session_id)
        if b.status != BookingStatus.CANCELLED:
            active[key] = b
        elif key not in cancelled or cancelled[key].pk < b.pk:
            cancelled[key] = b
    taken, waiting = places_and_queues_from(found)
    return WeekRows(bookings=active, cancelled=cancelled, taken=taken, waiting=waiting)


def _cancellation_in(*, status: str, **basket: object) -> Exists:
    """Whether the booking's cancellation is a line of a basket in this status (and
    matching `basket`'s other conditions): a subquery read with the booking itself."""
    return Exists(
        BasketLine.objects.filter(
            booking_id=OuterRef("pk"),
            kind=LineKind.CANCELLATION,
            basket__status=status,
            **basket,
        )
    )


def enrolment_periods(enrolments: Iterable[Enrolment]) -> dict[tuple[int, int], list[Enrolment]]:
    """The enrolment periods of each child in each activity, by (child_id, activity_id)."""
    periods: dict[tuple[int, int], list[Enrolment]] = {}
    for e in enrolments:
        periods.setdefault((e.child_id, e.activity_id), []).append(e)
    return periods
