"""The states a planning block can be in, as the seed's colour legend names them.

The values are the API's; the labels are the legend's words (French from the seed).
"Late" is not a state but a flag on a block: the price shown is the surcharged one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CellState(models.TextChoices):
    NOT_RESERVED = "not_reserved", _("Not reserved")
    RESERVED = "reserved", _("Reserved")
    FULL = "full", _("Full")
    REQUESTED = "requested", _("Reservation request")
    CANCEL_REQUESTED = "cancel_requested", _("Cancellation requested")
    NOT_USED = "not_used", _("Not used")
    ATTENDANCE_RECORDED = "attendance_recorded", _("Attendance already recorded")
    NO_RESERVATION_REQUIRED = "no_reservation_required", _("No reservation is required")
    CLOSED = "closed", _("Closed")
    NOT_ENROLLED = "not_enrolled", _("Not enrolled")
    LOCKED = "locked", _("Locked")
    WAITING_LIST = "waiting_list", _("Waiting list")
    # A past day whose last booking was cancelled (by the family, or credited when the
    # service closed the day): the parents' planning says so rather than "Locked".
    CANCELLED = "cancelled", pgettext_lazy("planning state", "Cancelled")


LATE_LABEL = _("Surcharged price (late reservation)")
# How a block's activity is paid, when it is not prepaid (activities.models.BillingMode).
INVOICED_LATER_LABEL = _("Invoiced later")
ON_ATTENDANCE_LABEL = _("Invoiced on attendance")


class CellAction(models.TextChoices):
    """What clicking a block asks for (see PlanningCell.change_kind for how to submit it)."""

    RESERVE = "reserve", _("Reserve")
    CANCEL = "cancel", _("Cancel")
    UNDO_REQUEST = "undo_request", _("Undo the change")
