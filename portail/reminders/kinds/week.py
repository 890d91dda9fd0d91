"""`week_not_booked`: a week's booking closes soon and a child enrolled in it has nothing
booked that week.

Sent PORTAIL_REMINDER_WEEK_BEFORE_HOURS before the week's deadline
(reservations.week_deadlines: the first open day's normal-price deadline), once per
household, week and deadline: the activities closing at the same moment share one message.
"Nothing booked" is per child and activity: no booking holding a place on any of that
week's days (a paid booking, or a request whose basket still holds it), while at least one
of them, within the child's enrolment, has a place left.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.accounts.emails import absolute_url
from portail.activities.models import Enrolment
from portail.reminders.registry import Notice, ReminderKind, register, rendered
from portail.reservations.models import Booking
from portail.reservations.occupancy import holding, taken_places
from portail.reservations.week_deadlines import open_sessions, week_deadlines

CODE = "week_not_booked"
# How far after the reminder's window the days are read: a deadline may come weeks before
# its day (J-14, "Tuesday of the week before"...).
HORIZON = datetime.timedelta(days=42)


def week_code(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def find(now: datetime.datetime) -> list[Notice]:
    until = now + datetime.timedelta(hours=settings.PORTAIL_REMINDER_WEEK_BEFORE_HOURS)
    today = timezone.localdate(now)
    sessions = open_sessions(today, timezone.localdate(until) + HORIZON)
    weeks = [w for w in week_deadlines(sessions) if now < w.closes <= until]
    if not weeks:
        return []
    first = min(w.sessions[0].date for w in weeks)
    last = max(w.sessions[-1].date for w in weeks)
    enrolments: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in Enrolment.objects.filter(
        activity_id__in={w.activity.pk for w in weeks}, valid_from__lte=last, valid_to__gte=first
    ).select_related("child"):
        enrolments[enrolment.activity_id].append(enrolment)
    session_ids = [s.pk for w in weeks for s in w.sessions]
    booked = set(
        Booking.objects.filter(holding(now), session_id__in=session_ids).values_list(
            "child_id", "session_id"
        )
    )
    taken = taken_places(session_ids, now=now)
    # (household, week, deadline) -> [(child's first name, activity's name)]
    missing: dict[tuple, list[tuple[str, str]]] = defaultdict(list)
    for week in weeks:
        seen: set[int] = set()
        for enrolment in enrolments[week.activity.pk]:
            child = enrolment.child
            bookable = [
                s
                for s in week.sessions
                if enrolment.covers(s.date) and taken.get(s.pk, 0) < s.capacity
            ]
            if child.pk in seen or not bookable:
                continue
            seen.add(child.pk)
            if not any((child.pk, s.pk) in booked for s in week.sessions):
                key = (child.household_id, week.monday, week.closes)
                missing[key].append((child.first_name, week.activity.name))
    return [
        _notice(household_id, monday, closes, sorted(items))
        for (household_id, monday, closes), items in sorted(missing.items(), key=_order)
    ]


def _order(item) -> tuple:
    (household_id, monday, closes), _items = item
    return (closes, monday, household_id)


def _notice(household_id, monday, closes, items) -> Notice:
    planning = reverse("reservations:planning") + f"?week={week_code(monday)}"
    context = {
        "monday": monday,
        "closes": closes,
        "items": items,
        "planning_url": absolute_url(planning),
    }
    stamp = closes.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")
    return Notice(
        household_id=household_id,
        key=f"{monday.isoformat()}@{stamp}",
        write=rendered("reminders/email/week_not_booked", context),
    )


KIND = register(
    ReminderKind(
        code=CODE,
        label=_("A week is not booked yet"),
        help_text=_(
            "Before the booking of a week closes, when a child enrolled in an activity has "
            "nothing booked that week."
        ),
        find=find,
        order=10,
    )
)
