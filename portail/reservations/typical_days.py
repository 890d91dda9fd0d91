"""From a typical week's request to days: the request checked, one change per day.

`resolve()` checks the request and loads its children, activities and enrolments;
`pattern_changes()` turns each pattern into one basket change per day that has a session
and skips the others (a holiday the activity does not run, a day without session, a day
out of the enrolment); `plan_of()` reads the basket's judgement of those changes back
into the plan, day by day. Three queries for the request, one for the days.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from portail.activities import calendar
from portail.activities.models import Activity, Enrolment, Session
from portail.families.models import Child, Household
from portail.reservations import judging, rules
from portail.reservations.typical_plan import (
    ACTION_CANCEL,
    ACTION_RESERVE,
    ACTION_WITHDRAW,
    FIRST_YEAR,
    HOLIDAY,
    LAST_YEAR,
    MAX_PERIOD_DAYS,
    MODES,
    NO_SESSION,
    RESERVE,
    Pattern,
    PlanDay,
    SkippedDay,
    TypicalWeekInvalid,
    TypicalWeekPlan,
)

# What an accepted change does, by the rules' operation (PlanDay.action).
ACTIONS = {
    rules.NEW_REQUEST: ACTION_RESERVE,
    rules.REQUEST_CANCELLATION: ACTION_CANCEL,
    rules.WITHDRAW_REQUEST: ACTION_WITHDRAW,
}


@dataclass(frozen=True)
class Target:
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


def resolve(
    household: Household,
    patterns: Sequence[Pattern],
    start: datetime.date,
    end: datetime.date,
    mode: str,
) -> list[Target]:
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
        targets.append(Target(pattern, child, activity, tuple(found)))
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
    targets: list[Target], start: datetime.date, end: datetime.date
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


def pattern_changes(
    targets: list[Target], start: datetime.date, end: datetime.date
) -> tuple[
    list[judging.Change], dict[tuple[int, int], tuple[Target, datetime.date]], list[SkippedDay]
]:
    """One change per pattern day that has a session; the other days skipped (1 query)."""
    sessions = {
        (activity_id, day): pk
        for pk, activity_id, day in Session.objects.filter(
            activity_id__in={t.activity.pk for t in targets}, date__range=(start, end)
        ).values_list("pk", "activity_id", "date")
    }
    public, school = _holidays(targets, start, end)
    changes: list[judging.Change] = []
    owners: dict[tuple[int, int], tuple[Target, datetime.date]] = {}
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
                changes.append(judging.Change(target.child.pk, session_id))
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


def plan_of(
    mode: str,
    start: datetime.date,
    end: datetime.date,
    targets: list[Target],
    owners: dict[tuple[int, int], tuple[Target, datetime.date]],
    skipped: list[SkippedDay],
    judgement: judging.Judgement,
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
                action=ACTIONS[accepted.outcome.op],
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


def _child_order(target: Target) -> tuple:
    return (target.child.first_name, target.child.pk)


def split_by_mode(mode: str, changes: list[judging.Change]) -> dict[str, list[judging.Change]]:
    return {"add": changes, "cancel": []} if mode == RESERVE else {"add": [], "cancel": changes}
