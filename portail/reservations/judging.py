"""Judging submitted changes: each change accepted or refused by rules.py, none written.

The judgement reads like the règlement:
- a change names a child of the household and a day (a session); else it is unknown;
- a day is asked once per submission; else the second ask is refused;
- a day whose cancellation waits in a basket being paid is left alone until that payment
  ends (else it could be cancelled, and credited, twice);
- every other day is rules.py's: judge_add() for a booking, judge_cancel() for a
  cancellation, over the facts loaded beforehand (facts.py); a family (not staff) is
  held back by the city's family-file gate (rules.family_file_missing);
- cancellations are judged first, so that a place freed by a withdrawal can be taken by
  an addition; each accepted change takes or frees its place for the changes after it.

Submission (basket.py) writes what is accepted; judge_changes() shows it as a preview.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from portail.activities import config_cache
from portail.activities.models import Session
from portail.activities.pricing import PriceBook
from portail.core.locking import locked, locked_after
from portail.families.models import Child, Household
from portail.reservations import rules
from portail.reservations.facts import (
    DayRows,
    Facts,
    Key,
    config_stamp,
    day_rows,
    enrolment_periods,
    family_file_gate,
)
from portail.reservations.models import (
    Basket,
    BasketLine,
    Booking,
    LineKind,
)
from portail.reservations.summary import lines_with_facts


@dataclass(frozen=True)
class Change:
    child_id: int
    session_id: int


@dataclass(frozen=True)
class Refusal:
    child_id: int
    session_id: int
    code: str  # see rules.py: full, deadline_passed, not_enrolled, closed, ...
    message: str  # "Emy – Restauration Scolaire, 07/12/2026: No place left."
    reason: str = ""  # the same without the block: "No place left."


class ChangesRefused(Exception):
    """The whole submission was refused (nothing changed); one Refusal per refused block."""

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__("; ".join(r.message for r in refusals))
        self.refusals = refusals


@dataclass(frozen=True)
class Accepted:
    """A change the rules accept: what it does (outcome.op) and at what price."""

    child: Child
    session: Session  # activity loaded
    outcome: rules.Outcome


@dataclass
class Judgement:
    """Every change judged: the accepted ones (in order) and the refused ones."""

    accepted: list[Accepted]
    refusals: list[Refusal]
    # What the writing needs: the active bookings and the open basket's lines, by key.
    bookings: dict[Key, Booking] = field(default_factory=dict, repr=False)
    lines: dict[Key, BasketLine] = field(default_factory=dict, repr=False)
    # Every line of the open basket as summary.summary_rows() reads them, and the days
    # judged whose attendance is recorded: the basket after the writes is known from them.
    rows: list[BasketLine] = field(default_factory=list, repr=False)
    attended: set[Key] = field(default_factory=set, repr=False)
    # The configuration stamp the sessions were read with (activities.config_cache).
    config_stamp: str | None = None


def judge(
    household: Household,
    basket: Basket | None,
    adds: list[Change],
    cancels: list[Change],
    *,
    now: datetime.datetime,
    bypass_deadlines: bool,
    lock: bool,
    staff: bool,
    quotients_read: bool = False,
    locked_days: dict[int, Session] | None = None,
) -> Judgement:
    """Judge every change with rules.py, from rows loaded in a fixed number of queries.

    `basket`: the household's open basket (None if there is none). `lock`: take the
    capacity lock, the sessions' rows in primary-key order (core/locking.py); the caller
    holds the household's lock and an open transaction. `locked_days`: the sessions asked
    for, already locked with the household (lock_household_and_days()), instead. `staff`: a
    staff member submits for the family (the family-file gate does not apply).
    `quotients_read`: the household's QF periods were read once its lock was held
    (holds.open_with_quotients)."""
    wanted = adds + cancels
    sessions = locked_days if locked_days is not None else _sessions(wanted, lock=lock)
    days = day_rows(household, {ch.child_id for ch in wanted}, sessions, now=now)
    children = days.children
    rows = lines_with_facts(basket) if basket is not None else []
    lines = {(line.child_id, line.session_id): line for line in rows}
    facts = _facts(
        household, days, sessions, lines, now=now, staff=staff, quotients_read=quotients_read
    )
    paying = {b.pk for b in facts.bookings.values() if b.being_paid}
    judgement = Judgement(
        accepted=[],
        refusals=[],
        bookings=facts.bookings,
        lines=lines,
        rows=rows,
        attended=set(facts.attendance),
        config_stamp=facts.config_stamp,
    )
    seen: set[Key] = set()
    for change, is_add in _cancellations_first(adds, cancels):
        key = (change.child_id, change.session_id)
        child, session = children.get(change.child_id), sessions.get(change.session_id)
        if child is None or session is None:
            judgement.refusals.append(_unknown(key))
            continue
        if key in seen:
            judgement.refusals.append(_asked_twice(key, child, session))
            continue
        seen.add(key)
        outcome = _decide(
            facts, paying, child, session, is_add, now=now, bypass_deadlines=bypass_deadlines
        )
        if not outcome.ok:
            judgement.refusals.append(_refused(key, outcome, child, session))
            continue
        _take_or_free(facts.taken, session, outcome)
        judgement.accepted.append(Accepted(child, session, outcome))
    return judgement


# --- The facts, loaded in a fixed number of queries -------------------------------------


def lock_household_and_days(household: Household, wanted: list[Change]) -> dict[int, Session]:
    """A submission's two locks in one statement (core.locking.locked_after): the
    household's row, then the days asked for (the sessions' rows, read as judge() reads
    them), in the usual order. The caller reads the household's open basket after it (a
    basket opened by the transaction it may have waited for is seen), then judges with
    `locked_days=`."""
    return {s.pk: s for s in locked_after(household, _session_rows(wanted))}


def _sessions(wanted: list[Change], *, lock: bool) -> dict[int, Session]:
    """The days named; only the sessions' rows are locked."""
    rows = _session_rows(wanted)
    return {s.pk: s for s in (locked(rows) if lock else rows.order_by())}


def _session_rows(wanted: list[Change]) -> QuerySet[Session]:
    """The days named, their activity (and its organisation, for the family-file gate) and
    the configuration stamp (activities.config_cache) in the same query."""
    return (
        Session.objects.filter(pk__in={ch.session_id for ch in wanted})
        .select_related("activity__site__organisation")
        .annotate(config_stamp=config_cache.stamp_column())
    )


def _facts(
    household: Household,
    days: DayRows,
    sessions: dict[int, Session],
    lines: dict[Key, BasketLine],
    *,
    now: datetime.datetime,
    staff: bool,
    quotients_read: bool,
) -> Facts:
    activities = {s.activity_id for s in sessions.values()}
    dates = [s.date for s in sessions.values()]
    stamp = config_stamp(sessions.values())
    return Facts(
        household=household,
        bookings=days.bookings,
        cancel_pending={
            line.booking_id for line in lines.values() if line.kind == LineKind.CANCELLATION
        },
        attendance=days.attendance,
        enrolments=enrolment_periods(days.enrolments),
        taken=days.taken,
        book=PriceBook.load(list(activities), min(dates), max(dates), stamp=stamp)
        if dates
        else None,
        family_files=family_file_gate(household, sessions.values(), staff=staff),
        waiting=days.waiting,
        quotients_read=quotients_read,
        config_stamp=stamp,
    )


# --- Each change decided ------------------------------------------------------------------


def _cancellations_first(adds: list[Change], cancels: list[Change]) -> list[tuple[Change, bool]]:
    """(change, is_add): cancellations first, so that a freed place can be taken by an add."""
    return [(ch, False) for ch in cancels] + [(ch, True) for ch in adds]


def _decide(
    facts: Facts,
    paying: set[int],
    child: Child,
    session: Session,
    is_add: bool,
    *,
    now: datetime.datetime,
    bypass_deadlines: bool,
) -> rules.Outcome:
    """A day whose cancellation is being paid waits for that payment; else rules.py says."""
    booking = facts.bookings.get((child.pk, session.pk))
    if booking is not None and booking.pk in paying:
        return rules.Outcome(False, code=rules.LOCKED, reason=_("Payment in progress."))
    situation = facts.situation(child, session)
    if is_add:
        return rules.judge_add(
            situation, now=now, price=facts.price, bypass_deadlines=bypass_deadlines
        )
    return rules.judge_cancel(situation, now=now, bypass_deadlines=bypass_deadlines)


def _take_or_free(taken: dict[int, int], session: Session, outcome: rules.Outcome) -> None:
    """A new request takes a place for the changes judged after it; a withdrawal frees one."""
    if outcome.op == rules.NEW_REQUEST:
        taken[session.pk] = taken.get(session.pk, 0) + 1
    elif outcome.op == rules.WITHDRAW_REQUEST:
        taken[session.pk] = taken.get(session.pk, 0) - 1


def _label(child: Child, session: Session) -> str:
    """A block as the parent reads it: "Emy – Restauration Scolaire, 07/12/2026"."""
    return _("%(child)s – %(activity)s, %(date)s") % {
        "child": child.first_name,
        "activity": session.activity.name,
        "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
    }


def _unknown(key: Key) -> Refusal:
    unknown = _("Unknown child or day for this household.")
    return Refusal(*key, rules.UNKNOWN, unknown, unknown)


def _asked_twice(key: Key, child: Child, session: Session) -> Refusal:
    twice = _("%(block)s: asked more than once.") % {"block": _label(child, session)}
    return Refusal(*key, rules.DUPLICATE, twice, twice)


def _refused(key: Key, outcome: rules.Outcome, child: Child, session: Session) -> Refusal:
    message = _("%(block)s: %(reason)s") % {
        "block": _label(child, session),
        "reason": outcome.reason,
    }
    return Refusal(*key, outcome.code, message, outcome.reason)
