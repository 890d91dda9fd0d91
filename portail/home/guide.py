"""The portal guide's table of deadlines: every activity's booking and cancellation
deadlines in words, as parents read them (home.views.help_page)."""

import datetime
from dataclasses import dataclass

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from portail.activities.models import Activity, DeadlineKind, LatePolicy
from portail.core.models import Organisation


def _time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def describe_deadline(kind: str, value: int, time: datetime.time) -> str:
    """A deadline as parents read it, e.g. "2 working days before, at 10:00"."""
    if kind == DeadlineKind.HOURS_BEFORE:
        if value == 1:
            return _("1 hour before the start")
        return _("%(n)s hours before the start") % {"n": value}
    if kind == DeadlineKind.DAYS_BEFORE:
        if value == 1:
            return _("the day before, at %(time)s") % {"time": _time(time)}
        return _("%(n)s days before, at %(time)s") % {"n": value, "time": _time(time)}
    if kind == DeadlineKind.WORKING_DAYS_BEFORE:
        if value == 1:
            return _("the working day before, at %(time)s") % {"time": _time(time)}
        return _("%(n)s working days before, at %(time)s") % {"n": value, "time": _time(time)}
    if kind == DeadlineKind.WEEKDAY_BEFORE_WEEK:
        return _("%(weekday)s of the week before, at %(time)s") % {
            "weekday": WEEKDAYS.get(value, ""),
            "time": _time(time),
        }
    return _("until the activity starts")


@dataclass(frozen=True)
class ActivityDeadlines:
    name: str
    site: str
    requires_booking: bool
    booking: str
    cancellation: str
    late: str


def activity_deadlines(organisation: Organisation | None) -> list[ActivityDeadlines]:
    """Every activity of the organisation with its deadlines in words (one query)."""
    if organisation is None:
        return []
    activities = Activity.objects.filter(site__organisation=organisation).select_related("site")
    rows = []
    for activity in activities.order_by("site__name", "start_time", "name"):
        late = (
            _("accepted at the surcharged price")
            if activity.late_policy == LatePolicy.SURCHARGE
            else _("refused")
        )
        rows.append(
            ActivityDeadlines(
                name=activity.name,
                site=activity.site.name,
                requires_booking=activity.requires_booking,
                booking=describe_deadline(
                    activity.booking_deadline_kind,
                    activity.booking_deadline_value,
                    activity.booking_deadline_time,
                ),
                cancellation=describe_deadline(
                    activity.cancel_deadline_kind,
                    activity.cancel_deadline_value,
                    activity.cancel_deadline_time,
                ),
                late=late,
            )
        )
    return rows
