"""The week planning a household sees: one block per child and session, with its state.

The same function serves the web page and the API, so both show exactly what the server
would accept: a block is `editable` (with its `action`) only when submit_changes() would
accept that change now. Queries are a fixed number whatever the number of children,
activities or past bookings.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from portail.activities import config_cache
from portail.activities.models import BillingMode, Enrolment, Session
from portail.activities.pricing import PriceBook
from portail.core.models import Organisation
from portail.families.models import Child, Household
from portail.reservations import rules
from portail.reservations.facts import (
    Facts,
    Key,
    bookings_and_places,
    children_with_enrolments,
    config_stamp,
    enrolment_periods,
    family_file_gate,
)
from portail.reservations.models import Attendance
from portail.reservations.states import CellAction, CellState


@dataclass(frozen=True)
class PlanningCell:
    child_id: int
    session_id: int
    activity_id: int
    activity: str
    site: str
    date: datetime.date
    start: datetime.time
    end: datetime.time
    state: CellState
    price_cents: int | None  # what booking now would cost, or what was paid
    late: bool
    editable: bool
    action: str | None  # "reserve" | "cancel" | "undo_request" | None
    reason: str  # human text for closed / locked / full
    # How the activity is paid (activities.models.BillingMode): prepaid days are paid in
    # the basket; days invoiced on booking are booked the same way but invoiced later.
    billing_mode: str = "prepaid"
    # Until when the action can be taken (rules.action_until), None without an action.
    until: datetime.datetime | None = None
    # Places a family can still book on the session (None: no booking needed).
    places_left: int | None = None
    # The child's rank on the day's waiting list (state "waiting_list"), else None.
    waiting_rank: int | None = None

    @property
    def invoiced_later(self) -> bool:
        """Booking this day costs nothing now: its price is invoiced after the fact."""
        return self.billing_mode == BillingMode.ON_BOOKING

    @property
    def change_kind(self) -> str | None:
        """How to submit this block's action: "add" or "cancel" list of submit_changes().

        reserve -> add; cancel -> cancel; undo_request of a requested block -> cancel (withdraw
        the request); undo_request of a cancel_requested block -> add (withdraw the cancellation).
        """
        if self.action == CellAction.RESERVE:
            return "add"
        if self.action == CellAction.CANCEL:
            return "cancel"
        if self.action == CellAction.UNDO_REQUEST:
            return "cancel" if self.state == CellState.REQUESTED else "add"
        return None


@dataclass
class WeekPlanning:
    week: str  # ISO week, "2026-W49"
    start: datetime.date  # Monday
    end: datetime.date  # Sunday
    days: list[datetime.date]  # days with at least one session of an enrolled activity
    children: list[Child]
    cells: list[PlanningCell]
    # The school years of this week whose days the household cannot book before its family
    # file for that year is accepted (the city's gate, rules.family_file_missing).
    family_file_years: list[int] = field(default_factory=list)
    # The organisation of the week's sessions, read with them (the family-file gate needs
    # it): the installation's collectivité, which the page's header names. None without
    # sessions, or if they belonged to more than one.
    organisation: Organisation | None = None
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def cells_for(self, day: datetime.date, child_id: int) -> list[PlanningCell]:
        """The blocks of one child on one day, in start-time order."""
        if not self._index:
            for cell in self.cells:
                self._index.setdefault((cell.date, cell.child_id), []).append(cell)
        return self._index.get((day, child_id), [])


def week_planning(
    household: Household,
    monday: datetime.date,
    *,
    now: datetime.datetime | None = None,
    staff: bool = False,
    quotients_read: bool = False,
) -> WeekPlanning:
    """The planning of `household` for the ISO week of `monday` (any day of the week works).

    The household's children, each on every session that week of an activity one of them is
    enrolled in; each block is what rules.cell_view() says of that child's day. A fixed
    number of queries: children with their enrolments, sessions (with the configuration
    stamp and the attendance), active and cancelled bookings (each saying whether its
    cancellation waits in the open basket) with the places taken and the waiting lists
    (one statement: facts.bookings_and_places()), the QF periods, and
    the family files when the city's gate concerns the week; the price book and the
    booking windows still to come when this process does not hold them under the stamp
    (activities.config_cache). `staff`: the planning a staff member books from for the
    family (the family-file gate does not apply). `quotients_read`: the household's QF
    periods were just read with its open basket (holds.open_basket_and_credit): not read
    again.
    """
    now = now or timezone.now()
    start = monday - datetime.timedelta(days=monday.weekday())
    end = start + datetime.timedelta(days=6)
    children, enrolments = children_with_enrolments(
        Child.objects.filter(household=household).order_by("first_name", "pk")
    )
    enrolments = [e for e in enrolments if e.valid_from <= end and e.valid_to >= start]
    sessions, attendance = _sessions(enrolments, [c.pk for c in children], start, end)
    planning = WeekPlanning(
        week=_iso_week(start),
        start=start,
        end=end,
        days=sorted({s.date for s in sessions}),
        children=children,
        cells=[],
    )
    if not sessions:
        return planning
    if len({session.activity.site.organisation_id for session in sessions}) == 1:
        planning.organisation = sessions[0].activity.site.organisation
    facts = _facts(
        household,
        children,
        enrolments,
        sessions,
        attendance,
        start,
        end,
        now=now,
        staff=staff,
        quotients_read=quotients_read,
    )
    planning.family_file_years = sorted(
        {facts.family_file_missing(session) for session in sessions} - {None}
    )
    for session in sessions:
        for child in children:
            view = rules.cell_view(facts.situation(child, session), now=now, price=facts.price)
            taken = facts.taken.get(session.pk, 0)
            waiting = facts.waiting_place(child, session)
            planning.cells.append(_cell(child, session, view, taken, waiting))
    return planning


def _iso_week(monday: datetime.date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _sessions(
    enrolments: list[Enrolment], child_ids: list[int], start: datetime.date, end: datetime.date
) -> tuple[list[Session], dict[Key, Attendance]]:
    """The week's sessions of the activities the children are enrolled in, in the
    planning's order (day, start time, activity), with their activity, site and
    organisation (the city's family-file gate), the configuration stamp
    (activities.config_cache: the tariffs and booking windows kept in memory), and the
    attendance recorded for these children on them: one query, an outer join giving one
    row per session and attendance (the planning locks nothing: the judgement reads
    attendance after the sessions' lock, facts.day_rows())."""
    activity_ids = {e.activity_id for e in enrolments}
    if not activity_ids:
        return [], {}
    rows = (
        Session.objects.filter(activity_id__in=activity_ids, date__range=(start, end))
        .select_related("activity__site__organisation")
        .annotate(
            marked=FilteredRelation(
                "attendances", condition=Q(attendances__child_id__in=child_ids)
            ),
            config_stamp=config_cache.stamp_column(),
        )
        .annotate(**{f"attendance_{f.attname}": F(f"marked__{f.name}") for f in _ATTENDANCE})
        .order_by("date", "activity__start_time", "activity__name", "pk")
    )
    names = [f.attname for f in _ATTENDANCE]
    sessions: dict[int, Session] = {}
    attendance: dict[Key, Attendance] = {}
    for row in rows:
        sessions.setdefault(row.pk, row)
        if row.attendance_id is not None:
            mark = Attendance.from_db(
                row._state.db, names, [getattr(row, f"attendance_{n}") for n in names]
            )
            attendance[(mark.child_id, mark.session_id)] = mark
    return list(sessions.values()), attendance


# What an attendance holds, read with its session (_sessions()).
_ATTENDANCE = list(Attendance._meta.concrete_fields)


def _facts(
    household: Household,
    children: list[Child],
    enrolments: list[Enrolment],
    sessions: list[Session],
    attendance: dict[Key, Attendance],
    start: datetime.date,
    end: datetime.date,
    *,
    now: datetime.datetime,
    staff: bool,
    quotients_read: bool,
) -> Facts:
    session_ids = [s.pk for s in sessions]
    child_ids = [c.pk for c in children]
    # The cancelled bookings come in the same query: a past day cancelled says so to the
    # family (staff act on the day: their planning keeps it "Locked", bookable for them).
    week = bookings_and_places(child_ids, session_ids, now=now)
    stamp = config_stamp(sessions)
    return Facts(
        household=household,
        bookings=week.bookings,
        cancelled={} if staff else week.cancelled,
        cancel_pending={b.pk for b in week.bookings.values() if b.cancel_pending},
        attendance=attendance,
        enrolments=enrolment_periods(enrolments),
        taken=week.taken,
        book=PriceBook.load({e.activity_id for e in enrolments}, start, end, stamp=stamp),
        family_files=family_file_gate(household, sessions, staff=staff),
        waiting=week.waiting,
        config_stamp=stamp,
        quotients_read=quotients_read,
    )


def _cell(
    child: Child,
    session: Session,
    view: rules.CellView,
    taken: int,
    waiting: dict[str, int | None],
) -> PlanningCell:
    activity = session.activity
    # The entries waiting before this child are served first (waiting.py).
    ahead = waiting["waiting_ahead"] or 0
    places_left = (
        max(0, session.capacity - taken - ahead)
        if activity.requires_booking and session.is_open
        else None
    )
    return PlanningCell(
        child_id=child.pk,
        session_id=session.pk,
        activity_id=activity.pk,
        activity=activity.name,
        site=activity.site.name,
        date=session.date,
        start=activity.start_time,
        end=activity.end_time,
        state=view.state,
        price_cents=view.price_cents,
        late=view.late,
        editable=view.action is not None,
        action=view.action,
        reason=str(view.reason),
        billing_mode=activity.billing_mode,
        until=rules.action_until(session, view.action, late=view.late),
        places_left=places_left,
        waiting_rank=waiting["waiting_rank"],
    )
