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
`not_enrolled`, `locked`: attendance recorded or payment in progress, `no_price`,
`family_file_required`: the city's family-file gate).

Applying also remembers the household's typical week (models.TypicalWeek), so that the
next period starts pre-filled.

The request and its plan (Pattern, TypicalWeekPlan...) are typical_plan's; checking the
request and turning its patterns into days is typical_days'; this module holds the two
steps, the remembered typical week and the default period.
"""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from portail.accounts.models import User
from portail.activities import calendar, deadlines
from portail.activities.models import Enrolment, Session
from portail.families.models import Household
from portail.reservations import basket as baskets
from portail.reservations.models import Basket, Channel, TypicalWeek
from portail.reservations.typical_days import (
    Target,
    pattern_changes,
    plan_of,
    resolve,
    split_by_mode,
)
from portail.reservations.typical_plan import (
    MAX_PERIOD_DAYS,
    RESERVE,
    NothingToDo,
    Pattern,
    TypicalWeekPlan,
)

# How far ahead the default start looks for the next bookable day.
LOOKAHEAD_DAYS = 120


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
    targets = resolve(household, patterns, start, end, mode)
    changes, owners, skipped = pattern_changes(targets, start, end)
    judgement = baskets.judge_changes(
        household,
        **split_by_mode(mode, changes),
        actor=actor,
        now=now,
        bypass_deadlines=bypass_deadlines,
    )
    return plan_of(mode, start, end, targets, owners, skipped, judgement)


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
    targets = resolve(household, patterns, start, end, mode)
    changes, owners, skipped = pattern_changes(targets, start, end)
    if not changes:  # only holidays or days without sessions: checked as the preview does
        judgement = baskets.judge_changes(
            household, add=[], cancel=[], actor=actor, now=now, bypass_deadlines=bypass_deadlines
        )
        raise NothingToDo(plan_of(mode, start, end, targets, owners, skipped, judgement))
    with transaction.atomic():
        basket, judgement = baskets.submit_available(
            household,
            **split_by_mode(mode, changes),
            actor=actor,
            channel=channel,
            now=now,
            bypass_deadlines=bypass_deadlines,
        )
        plan = plan_of(mode, start, end, targets, owners, skipped, judgement)
        if basket is None or not plan.days:
            raise NothingToDo(plan)
        _remember(targets, mode)
    return basket, plan


# --- the remembered typical week -----------------------------------------------------------


def _remember(targets: list[Target], mode: str) -> None:
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
