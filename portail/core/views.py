"""The portal guide (the seed's "Guide Portail Famille" and the planning's AIDE)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.activities.models import Activity, DeadlineKind, LatePolicy
from portail.core.models import Organisation
from portail.core.money import format_cents
from portail.reservations.states import LATE_LABEL, CellAction, CellState


@dataclass(frozen=True)
class LegendEntry:
    code: str  # the API's state code; the swatch's CSS class is "state state--<code>"
    label: str | Promise
    meaning: str | Promise


# The planning's colour legend, in the seed's order. The labels are the planning's own
# (reservations.states), so the guide and the planning always use the same words.
LEGEND: list[LegendEntry] = [
    LegendEntry(
        CellState.NOT_RESERVED,
        CellState.NOT_RESERVED.label,
        gettext_lazy(
            "Your child is enrolled and the day is open, but not booked. Click the block to "
            "ask for a reservation."
        ),
    ),
    LegendEntry(
        CellState.FULL,
        CellState.FULL.label,
        gettext_lazy("No place is left that day: it cannot be booked."),
    ),
    LegendEntry(
        CellState.REQUESTED,
        CellState.REQUESTED.label,
        gettext_lazy(
            "You asked for this day. It holds a place while you pay; it is booked only once "
            "the payment is made."
        ),
    ),
    LegendEntry(
        CellState.RESERVED,
        CellState.RESERVED.label,
        gettext_lazy(
            "Booked and paid (green). Before the cancellation deadline, click it to ask for "
            "a cancellation."
        ),
    ),
    LegendEntry(
        CellState.CANCEL_REQUESTED,
        CellState.CANCEL_REQUESTED.label,
        gettext_lazy(
            "You asked to cancel this booked day. The cancellation is done when you validate "
            "the basket; the price paid then becomes a credit."
        ),
    ),
    LegendEntry(
        CellState.NOT_USED,
        CellState.NOT_USED.label,
        gettext_lazy("The day was booked but your child was marked absent."),
    ),
    LegendEntry(
        CellState.NO_RESERVATION_REQUIRED,
        CellState.NO_RESERVATION_REQUIRED.label,
        gettext_lazy("This activity needs no booking: your child may simply come."),
    ),
    LegendEntry(
        "late",
        LATE_LABEL,
        gettext_lazy(
            "Booked after the booking deadline: the surcharged price applies. The block says "
            "so in words as well."
        ),
    ),
    LegendEntry(
        CellState.ATTENDANCE_RECORDED,
        CellState.ATTENDANCE_RECORDED.label,
        gettext_lazy("The service has recorded attendance for that day: it can no longer change."),
    ),
    LegendEntry(
        CellState.CLOSED,
        CellState.CLOSED.label,
        gettext_lazy(
            "The activity does not run that day (public holiday, strike, outing…); the reason "
            "is shown. A day already paid becomes a credit."
        ),
    ),
    LegendEntry(
        CellState.NOT_ENROLLED,
        CellState.NOT_ENROLLED.label,
        gettext_lazy("Your child is not enrolled in this activity on that day."),
    ),
    LegendEntry(
        CellState.LOCKED,
        CellState.LOCKED.label,
        gettext_lazy(
            "The day cannot be changed online any more: the deadline has passed, or a payment "
            "is in progress. The block tells why."
        ),
    ),
]


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


def help_page(request: HttpRequest) -> HttpResponse:
    """The portal guide: how booking, paying and cancelling work (the seed's AIDE)."""
    organisation = Organisation.current()
    context = {
        "org": organisation,
        "organisation": organisation,  # the layout's, fetched once (not per use)
        "legend": LEGEND,
        "undo_label": CellAction.UNDO_REQUEST.label,
        "late_label": LATE_LABEL,
        # The seed's basket: 4 meals at 3,70 EUR.
        "example_price": format_cents(370),
        "example_total": format_cents(4 * 370),
        "hold_minutes": settings.PORTAIL_BASKET_HOLD_MINUTES,
        "deadlines": activity_deadlines(organisation),
    }
    return render(request, "core/help.html", context)
