"""The typical week ("semaine type"): the same weekdays booked, or cancelled, over a period.

Most families book the same days every week. Instead of ticking a school year day by day,
the parent gives, per child and activity, the weekdays (a `Pattern`) and a period; this
module turns them into one change per day and hands them to reservations.basket, so every
rule of the planning applies unchanged (rules.py's judgement, capacity under the sessions'
lock, deadlines and late prices, enrolment periods, history per day).

Two steps:
- `preview_typical_week()` says, before anything changes, which days would be booked (with
  their price, the late price where late) or cancelled (with the credit), and which are
  skipped and why. It locks nothing and writes nothing, in a fixed number of queries
  whatever the length of the period: it is advisory.
- `apply_typical_week()` judges everything again under the lock and puts every day that
  is still possible into the open basket in one step (one payment for the whole period);
  a day that became impossible meanwhile (full, deadline passed) is skipped and reported.
  It never fails the whole period for one day, and never books more than the places.
  When no day at all can change it raises `NothingToDo` (and changes nothing).

Days are skipped with a code: the calendar's (`holiday`: a public or school holiday the
activity does not run; `no_session`: no session that day; `not_enrolled`), or the
rules' (`closed`, `full`, `already_reserved`, `not_reserved`, `deadline_passed`,
`not_enrolled`, `locked`: attendance recorded or payment in progress, `no_price`).

Applying also remembers the household's typical week (models.TypicalWeek), so that the
next period starts pre-filled.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities import calendar, deadlines
from portail.activities.models import Activity, Enrolment, Session
from portail.families.models import Child, Household
from portail.reservations import basket as baskets
from portail.reservations import rules
from portail.reservations.models import Basket, Channel, TypicalWeek

RESERVE = "reserve"
CANCEL = "cancel"
MODES = (RESERVE, CANCEL)

# Skip codes of the calendar; the others are rules.py's refusal codes.
HOLIDAY = "holiday"
NO_SESSION = "no_session"

# What an applicable day does (PlanDay.action).
ACTION_RESERVE = "reserve"  # a new request in the basket (PRE-RESERVATION)
ACTION_CANCEL = "cancel"  # a paid day's cancellation in the basket: a credit once validated
ACTION_WITHDRAW = "withdraw"  # an unpaid request leaves the basket (its place is freed)
_ACTIONS = {
    rules.NEW_REQUEST: ACTION_RESERVE,
    rules.REQUEST_CANCELLATION: ACTION_CANCEL,
    rules.WITHDRAW_REQUEST: ACTION_WITHDRAW,
}

# Longest period one request may cover: a school year, with room for a leap day.
MAX_PERIOD_DAYS = 366
FIRST_YEAR = 2000
LAST_YEAR = 2099
# How far ahead the default start looks for the next bookable day.
LOOKAHEAD_DAYS = 120


@dataclass(frozen=True)
class Pattern:
    """One child's weekdays (Monday = 0) for one activity."""

    child_id: int
    activity_id: int
    weekdays: tuple[int, ...]


class TypicalWeekInvalid(Exception):
    """The request itself is wrong, so nothing was judged: `code` for programs, `message`
    (translated) for people, `field` the input in error ("child_id", "weekdays", "from"...).

    Codes: invalid_mode, invalid_period, period_too_long, no_pattern, duplicate_pattern,
    unknown_child, unknown_activity (none, or one the child was never enrolled in),
    no_booking_required, invalid_weekdays."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PlanDay:
    """A day the typical week books (or cancels), at this price."""

    child: Child
    activity: Activity
    session_id: int
    date: datetime.date
    price_cents: int  # the late price when late; in cancel mode, what was paid
    late: bool
    action: str  # ACTION_RESERVE, ACTION_CANCEL or ACTION_WITHDRAW


@dataclass(frozen=True)
class SkippedDay:
    """A day of the pattern that does not change, and why (code for programs, reason for
    people)."""

    child: Child
    activity: Activity
    date: datetime.date
    code: str
    reason: str
    session_id: int | None = None


@dataclass
class TypicalWeekPlan:
    """What a typical week does (preview) or did (apply), day by day."""

    mode: str
    start: datetime.date
    end: datetime.date
    patterns: list[Pattern]
    days: list[PlanDay] = field(default_factory=list)
    skipped: list[SkippedDay] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        """Reserve mode: what the days add to the basket. Cancel mode: what they take off
        it (the credit of paid days plus the unpaid requests withdrawn)."""
        return sum(day.price_cents for day in self.days)

    @property
    def credit_cents(self) -> int:
        """Cancel mode: the credit (avoir) the cancelled paid days give once validated."""
        return sum(day.price_cents for day in self.days if day.action == ACTION_CANCEL)

    @property
    def late_count(self) -> int:
        return sum(1 for day in self.days if day.late and day.action == ACTION_RESERVE)


class NothingToDo(Exception):
    """Applying found no day that could change; nothing changed. `plan.skipped` says why."""

    def __init__(self, plan: TypicalWeekPlan) -> None:
        super().__init__("No day of this typical week can change")
        self.plan = plan


@dataclass(frozen=True)
class _Target:
    pattern: Pattern
    child: Child
    activity: Activity
    enrolments: tuple[Enrolment, ...]

    def enrolled(self, day: datetime.date) -> bool:
        return any(e.covers(day) for e in self.enrolments)


# --- checking the request ------------------------------------------------------------------


def _check_period(start: datetime.date, end: datetime.date) -> None:
    for name, day in (("from", start), ("to", end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise TypicalWeekInvalid(
                "invalid_period",
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                name,
            )
    if end < start:
        raise TypicalWeekInvalid(
            "invalid_period", _("The end of the period is before its start."), "to"
        )
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise TypicalWeekInvalid(
            "period_too_long",
            _("The period is too long: at most %(days)s days (a school year).")
            % {"days": MAX_PERIOD_DAYS},
            "to",
        )


def _resolve(
    household: Household,
    patterns: Sequence[Pattern],
    start: datetime.date,
    end: datetime.date,
    mode: str,
) -> list[_Target]:
    """Check the request and load its children, activities and enrolments (3 queries)."""
    if mode not in MODES:
        raise TypicalWeekInvalid(
            "invalid_mode", _("Choose to reserve or to cancel these days."), "mode"
        )
    _check_period(start, end)
    patterns = [p for p in patterns if p.weekdays]
    if not patterns:
        raise TypicalWeekInvalid("no_pattern", _("Tick at least one weekday."), "weekdays")
    keys = [(p.child_id, p.activity_id) for p in patterns]
    if len(set(keys)) != len(keys):
        raise TypicalWeekInvalid(
            "duplicate_pattern",
            _("The same child and activity are given more than once."),
            "patterns",
        )
    children = {
        c.pk: c for c in Child.objects.filter(household=household, pk__in={k[0] for k in keys})
    }
    activities = {
        a.pk: a
        for a in Activity.objects.filter(pk__in={k[1] for k in keys}).select_related(
            "site__organisation"
        )
    }
    enrolments: dict[tuple[int, int], list[Enrolment]] = defaultdict(list)
    for e in Enrolment.objects.filter(
        child_id__in=list(children), activity_id__in=list(activities)
    ).order_by("valid_from", "pk"):
        enrolments[(e.child_id, e.activity_id)].append(e)
    targets = []
    for pattern in patterns:
        child = children.get(pattern.child_id)
        if child is None:
            raise TypicalWeekInvalid(
                "unknown_child", _("This child is not one of your household's."), "child_id"
            )
        activity = activities.get(pattern.activity_id)
        found = enrolments.get((pattern.child_id, pattern.activity_id), [])
        if activity is None or not found:
            raise TypicalWeekInvalid(
                "unknown_activity",
                _("%(child)s is not enrolled in this activity.") % {"child": child.first_name},
                "activity_id",
            )
        if not activity.requires_booking:
            raise TypicalWeekInvalid(
                "no_booking_required",
                _("%(activity)s needs no reservation.") % {"activity": activity.name},
                "activity_id",
            )
        runs = set(activity.weekday_list)
        if any(not isinstance(d, int) or d not in runs for d in pattern.weekdays):
            raise TypicalWeekInvalid(
                "invalid_weekdays",
                _("%(activity)s runs only on: %(days)s.")
                % {"activity": activity.name, "days": weekday_names(sorted(runs))},
                "weekdays",
            )
        targets.append(_Target(pattern, child, activity, tuple(found)))
    return targets


def weekday_names(weekdays: Iterable[int]) -> str:
    """ "lundi, mardi" (French) or "Monday, Tuesday" (English), Monday = 0."""
    monday = datetime.date(2024, 1, 1)  # a Monday
    return ", ".join(
        formats.date_format(monday + datetime.timedelta(days=d), "l") for d in weekdays
    )


# --- from patterns to days -----------------------------------------------------------------


def _days(start: datetime.date, end: datetime.date) -> Iterable[datetime.date]:
    for offset in range((end - start).days + 1):
        yield start + datetime.timedelta(days=offset)


def _holidays(
    targets: list[_Target], start: datetime.date, end: datetime.date
) -> tuple[dict[datetime.date, str], dict[str, dict[datetime.date, str]]]:
    """Public holidays, and school holidays per zone, in the period (from memory)."""
    public = calendar.public_holidays(start, end)
    school: dict[str, dict[datetime.date, str]] = {}
    for target in targets:
        zone = target.activity.site.organisation.school_zone
        if zone not in school:
            try:
                school[zone] = calendar.school_holidays(zone, start, end)
            except calendar.CalendarUnavailable:
                school[zone] = {}  # no data that far: such days show as "no session"
    return public, school


def _changes(
    targets: list[_Target], start: datetime.date, end: datetime.date
) -> tuple[
    list[baskets.Change], dict[tuple[int, int], tuple[_Target, datetime.date]], list[SkippedDay]
]:
    """One change per pattern day that has a session; the other days skipped (1 query)."""
    sessions = {
        (activity_id, day): pk
        for pk, activity_id, day in Session.objects.filter(
            activity_id__in={t.activity.pk for t in targets}, date__range=(start, end)
        ).values_list("pk", "activity_id", "date")
    }
    public, school = _holidays(targets, start, end)
    changes: list[baskets.Change] = []
    owners: dict[tuple[int, int], tuple[_Target, datetime.date]] = {}
    skipped: list[SkippedDay] = []
    for target in targets:
        activity = target.activity
        zone_days = school[activity.site.organisation.school_zone]
        weekdays = set(target.pattern.weekdays)
        for day in _days(start, end):
            if day.weekday() not in weekdays:
                continue
            session_id = sessions.get((activity.pk, day))
            if session_id is not None:
                changes.append(baskets.Change(target.child.pk, session_id))
                owners[(target.child.pk, session_id)] = (target, day)
                continue
            holiday = public.get(day) or (
                None if activity.open_in_school_holidays else zone_days.get(day)
            )
            if holiday:
                skipped.append(SkippedDay(target.child, activity, day, HOLIDAY, str(holiday)))
            elif not target.enrolled(day):
                skipped.append(
                    SkippedDay(
                        target.child,
                        activity,
                        day,
                        rules.NOT_ENROLLED,
                        _("Not enrolled in this activity on this day."),
                    )
                )
            else:
                skipped.append(
                    SkippedDay(
                        target.child,
                        activity,
                        day,
                        NO_SESSION,
                        _("The activity does not run on this day."),
                    )
                )
    return changes, owners, skipped


def _plan(
    mode: str,
    start: datetime.date,
    end: datetime.date,
    targets: list[_Target],
    owners: dict[tuple[int, int], tuple[_Target, datetime.date]],
    skipped: list[SkippedDay],
    judgement: baskets.Judgement,
) -> TypicalWeekPlan:
    plan = TypicalWeekPlan(mode, start, end, [t.pattern for t in targets], skipped=skipped)
    for accepted in judgement.accepted:
        target, _day = owners[(accepted.child.pk, accepted.session.pk)]
        plan.days.append(
            PlanDay(
                child=target.child,
                activity=target.activity,
                session_id=accepted.session.pk,
                date=accepted.session.date,
                price_cents=accepted.outcome.price_cents or 0,
                late=accepted.outcome.late,
                action=_ACTIONS[accepted.outcome.op],
            )
        )
    for refusal in judgement.refusals:
        target, day = owners[(refusal.child_id, refusal.session_id)]
        code = NO_SESSION if refusal.code == rules.UNKNOWN else refusal.code
        plan.skipped.append(
            SkippedDay(
                child=target.child,
                activity=target.activity,
                date=day,
                code=code,
                reason=refusal.reason,
                session_id=refusal.session_id,
            )
        )
    order = {t.child.pk: i for i, t in enumerate(sorted(targets, key=_child_order))}

    def key(d: PlanDay | SkippedDay) -> tuple:
        return (d.date, d.activity.start_time, order[d.child.pk], d.activity.name)

    plan.days.sort(key=key)
    plan.skipped.sort(key=key)
    return plan


def _child_order(target: _Target) -> tuple:
    return (target.child.first_name, target.child.pk)


def _split(mode: str, changes: list[baskets.Change]) -> dict[str, list[baskets.Change]]:
    return {"add": changes, "cancel": []} if mode == RESERVE else {"add": [], "cancel": changes}


# --- the two steps -------------------------------------------------------------------------


def preview_typical_week(
    household: Household,
    *,
    patterns: Sequence[Pattern],
    start: datetime.date,
    end: datetime.date,
    mode: str,
    actor: User,
    now: datetime.datetime | None = None,
    bypass_deadlines: bool = False,
) -> TypicalWeekPlan:
    """What applying would do now: the days booked (or cancelled) with their price, the
    days skipped with the reason, the total. Locks nothing, writes nothing; a fixed
    number of queries whatever the number of days. Raises TypicalWeekInvalid for a wrong
    request, PermissionDenied when `actor` may not act for `household` (or bypass
    deadlines without being staff)."""
    now = now or timezone.now()
    targets = _resolve(household, patterns, start, end, mode)
    changes, owners, skipped = _changes(targets, start, end)
    judgement = baskets.judge_changes(
        household,
        **_split(mode, changes),
        actor=actor,
        now=now,
        bypass_deadlines=bypass_deadlines,
    )
    return _plan(mode, start, end, targets, owners, skipped, judgement)


def apply_typical_week(
    household: Household,
    *,
    patterns: Sequence[Pattern],
    start: datetime.date,
    end: datetime.date,
    mode: str,
    actor: User,
    channel: str = Channel.TYPICAL_WEEK,
    now: datetime.datetime | None = None,
    bypass_deadlines: bool = False,
) -> tuple[Basket, TypicalWeekPlan]:
    """Put every day of the pattern that is possible now into the open basket, in one step.

    Everything is judged again under the sessions' lock (the preview is advisory): days
    that became impossible are skipped and reported in the returned plan. Each day gets
    its history row (channel "typical_week" unless told otherwise, e.g. the back office);
    the household's typical week is remembered. Raises NothingToDo when no day can change
    (nothing changed), TypicalWeekInvalid, PermissionDenied as the preview does.
    `bypass_deadlines` (staff only): no deadline applies, and no late price either."""
    now = now or timezone.now()
    targets = _resolve(household, patterns, start, end, mode)
    changes, owners, skipped = _changes(targets, start, end)
    if not changes:  # only holidays or days without sessions: checked as the preview does
        judgement = baskets.judge_changes(
            household, add=[], cancel=[], actor=actor, now=now, bypass_deadlines=bypass_deadlines
        )
        raise NothingToDo(_plan(mode, start, end, targets, owners, skipped, judgement))
    with transaction.atomic():
        basket, judgement = baskets.submit_available(
            household,
            **_split(mode, changes),
            actor=actor,
            channel=channel,
            now=now,
            bypass_deadlines=bypass_deadlines,
        )
        plan = _plan(mode, start, end, targets, owners, skipped, judgement)
        if basket is None or not plan.days:
            raise NothingToDo(plan)
        _remember(targets, mode)
    return basket, plan


# --- the remembered typical week -----------------------------------------------------------


def _remember(targets: list[_Target], mode: str) -> None:
    """Booking weekdays makes them the typical week; cancelling weekdays removes them."""
    known = {
        (tw.child_id, tw.activity_id): tw
        for tw in TypicalWeek.objects.filter(
            child_id__in={t.child.pk for t in targets},
            activity_id__in={t.activity.pk for t in targets},
        )
    }
    for target in targets:
        row = known.get((target.child.pk, target.activity.pk))
        wanted = set(target.pattern.weekdays)
        if mode == RESERVE:
            weekdays = wanted
        elif row is None:
            continue
        else:
            weekdays = set(row.weekday_list) - wanted
        text = ",".join(str(d) for d in sorted(weekdays))
        if row is None:
            TypicalWeek.objects.create(child=target.child, activity=target.activity, weekdays=text)
        elif row.weekdays != text:
            row.weekdays = text
            row.save(update_fields=["weekdays", "updated_at"])


def remembered(household: Household) -> dict[tuple[int, int], list[int]]:
    """{(child id, activity id): weekdays} of the household's remembered typical week."""
    return {
        (tw.child_id, tw.activity_id): tw.weekday_list
        for tw in TypicalWeek.objects.filter(child__household=household)
    }


# --- the default period --------------------------------------------------------------------


def default_period(
    household: Household,
    *,
    start: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> tuple[datetime.date, datetime.date]:
    """(from, to) to offer: the next day that can still be booked on time in one of the
    children's activities (or `start` when given), up to the end of the enrolment or of
    the school year (the earlier), never longer than MAX_PERIOD_DAYS. Three queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    enrolments = list(
        Enrolment.objects.filter(
            child__household=household,
            valid_to__gte=start or today,
            activity__requires_booking=True,
        ).select_related("activity__site__organisation")
    )
    if not enrolments:
        start = start or today + datetime.timedelta(days=1)
        return start, start
    activities = {e.activity_id: e.activity for e in enrolments}
    if start is not None:
        return start, _default_end(start, enrolments)
    sessions = Session.objects.filter(
        activity_id__in=list(activities),
        date__range=(today, today + datetime.timedelta(days=LOOKAHEAD_DAYS)),
        is_open=True,
    ).order_by("date", "activity__start_time", "pk")
    for activity_id, day in sessions.values_list("activity_id", "date")[:2000]:
        activity = activities[activity_id]
        covered = any(e.activity_id == activity_id and e.covers(day) for e in enrolments)
        if covered and now < deadlines.booking_deadline(activity, day):
            start = day
            break
    if start is None:
        start = max(today + datetime.timedelta(days=1), min(e.valid_from for e in enrolments))
    return start, _default_end(start, enrolments)


def _default_end(start: datetime.date, enrolments: list[Enrolment]) -> datetime.date:
    """The end of the enrolments running after `start`, or of the school year, if earlier."""
    ends = [e.valid_to for e in enrolments if e.valid_to >= start]
    end = max(ends) if ends else start
    zone = enrolments[0].activity.site.organisation.school_zone
    try:
        _first, year_end = calendar.school_year_bounds(start, zone)
        end = min(end, max(year_end, start))
    except calendar.CalendarUnavailable:
        pass
    return min(end, start + datetime.timedelta(days=MAX_PERIOD_DAYS - 1))
