"""The planning's colour legend: what each state of a block means, in parents' words.

The planning (reservations.views), the back office's booking page and the portal guide
(home.views.help_page) show the same legend; its labels are the planning's own
(reservations.states), so they always use the same words.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from portail.reservations.states import (
    INVOICED_LATER_LABEL,
    LATE_LABEL,
    ON_ATTENDANCE_LABEL,
    CellState,
)


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
        gettext_lazy(
            "No place is left that day: it cannot be booked. You may join its waiting list."
        ),
    ),
    LegendEntry(
        CellState.WAITING_LIST,
        CellState.WAITING_LIST.label,
        gettext_lazy(
            "Your child is on the day's waiting list (the block gives the rank). When a place "
            "frees, it is offered to the first family waiting: held in its basket for a "
            "while, and the family is e-mailed."
        ),
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
        CellState.CANCELLED,
        CellState.CANCELLED.label,
        gettext_lazy(
            "The day has passed; it was booked, then cancelled: by you, or by the service, "
            "which closed that day (the reason is shown)."
        ),
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


# How a block's activity is paid, written on the block in words (no colour of its own).
BILLING_LEGEND: list[LegendEntry] = [
    LegendEntry(
        "invoiced_later",
        INVOICED_LATER_LABEL,
        gettext_lazy(
            "This activity is invoiced after the fact: you book the day in the basket as "
            "usual, but there is nothing to pay now. The days booked are on your next "
            "invoice (a day cancelled in time, closed by the service or missed with a "
            "medical certificate is not invoiced)."
        ),
    ),
    LegendEntry(
        "on_attendance",
        ON_ATTENDANCE_LABEL,
        gettext_lazy(
            "No reservation is required: each day your child attends is on your next "
            "invoice, at your family's rate."
        ),
    ),
]
