"""Bookings, baskets (the parent's pending changes), attendance marks and the history.

A parent's request for a day becomes a `Booking` in status `requested`, held by a line of the
household's open `Basket`; payment (the checkout issue) turns it into `reserved`. A request
that is withdrawn, dropped with its basket, or whose basket expires becomes `released`. A
reserved booking that the parent cancels gets a cancellation line (quantity -1) in the basket
and stays `reserved` until that basket is validated, then becomes `cancelled`.

The rules live in rules.py (one child's day), basket.py and judging.py (submitted
changes), holds.py (holds, expiry), occupancy.py (places taken), planning.py (what the
parent sees) and history.py (the one writer of `HistoryEntry`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portail.activities.models import Session
from portail.families.models import Child, Household


class BasketStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid")
    VALIDATED = "validated", _("Validated")
    ABANDONED = "abandoned", _("Abandoned")
    EXPIRED = "expired", _("Expired")


# "This booking holds a place" is decided from these statuses, and from nothing else:
# occupancy.py builds from them both the query (holding()) and the check of one loaded
# booking (holds_place()). A requested booking holds its place while its basket does:
# - an open basket until its expires_at (EXPIRING_BASKET_STATUSES);
# - a basket past the open stage, being paid or settled (HOLDING_BASKET_STATUSES);
# - no basket at all (a request made outside any basket).
EXPIRING_BASKET_STATUSES = (BasketStatus.OPEN,)
HOLDING_BASKET_STATUSES = (
    BasketStatus.AWAITING_PAYMENT,
    BasketStatus.PAID,
    BasketStatus.VALIDATED,
)


class Basket(models.Model):
    """The household's pending changes ("Contenu du panier"), paid or validated as a whole."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="baskets", verbose_name=_("household")
    )
    # Letters and digits only (PayFiP's refdet is 6-30 [A-Za-z0-9]): "PF" + year + number.
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BasketStatus, default=BasketStatus.OPEN
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("basket")
        verbose_name_plural = _("baskets")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="open"),
                name="basket_one_open_per_household",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "status"], name="basket_household_status"),
            models.Index(fields=["status", "expires_at"], name="basket_status_expiry"),
        ]

    def __str__(self) -> str:
        return self.reference

    @staticmethod
    def make_reference(year: int, pk: int) -> str:
        """PF2026000123: short, human, unique (from the primary key), valid as a PayFiP refdet.
        The database writes the same as it inserts a basket whose reference is
        reference_prefix(year) (migration 0010's trigger): change both together."""
        return f"{Basket.reference_prefix(year)}{pk:06d}"

    @staticmethod
    def reference_prefix(year: int) -> str:
        """What a new basket is inserted with: the database completes it with the key."""
        return f"PF{year}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Reservation request")
    RESERVED = "reserved", _("Reserved")
    CANCELLED = "cancelled", _("Cancelled")
    RELEASED = "released", _("Released (never paid)")


ACTIVE_BOOKING_STATUSES = (BookingStatus.REQUESTED, BookingStatus.RESERVED)
# Bookings that hold their place outright (paid for), and those that hold it while their
# basket does (see HOLDING_BASKET_STATUSES above).
PLACE_BOOKING_STATUSES = (BookingStatus.RESERVED,)
HELD_BOOKING_STATUSES = (BookingStatus.REQUESTED,)


class Booking(models.Model):
    """One child on one session. At most one active (requested or reserved) per child and day."""

    # No index of their own: booking_child_status and booking_session_status begin with
    # them (one index less to write per booking).
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("child"),
        db_index=False,
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("session"),
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus, default=BookingStatus.REQUESTED
    )
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    late = models.BooleanField(_("late (surcharged price)"), default=False)
    # Set when the booking is made, from its activity's billing mode (invoiced on booking):
    # nothing is paid for it in the basket, its price is invoiced after the fact, and
    # cancelling it, a closure or a justified absence credits nothing (nothing was paid).
    # False: prepaid (its price was paid with its basket). Kept on the booking so that an
    # activity changing its billing mode later never bills a prepaid day, nor credits one
    # that was not paid.
    invoiced = models.BooleanField(_("invoiced after the fact"), default=False)
    # The basket that asked for it (none for a booking made outside any basket).
    basket = models.ForeignKey(
        Basket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("basket"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["session__date", "child"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "session"],
                condition=Q(status__in=["requested", "reserved"]),
                name="booking_one_active_per_child_session",
            ),
            models.CheckConstraint(condition=Q(price_cents__gte=0), name="booking_price_positive"),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="booking_session_status"),
            models.Index(fields=["child", "status"], name="booking_child_status"),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.session}"


class LineKind(models.TextChoices):
    RESERVATION = "reservation", _("PRE-RESERVATION")
    CANCELLATION = "cancellation", _("CANCELLATION")


class BasketLine(models.Model):
    """One child and day in the basket: a request (+1) or a cancellation (-1)."""

    # No index of its own: basket_line_one_per_child_session begins with it.
    basket = models.ForeignKey(
        Basket,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("basket"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="basket_lines", verbose_name=_("child")
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="basket_lines", verbose_name=_("session")
    )
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="basket_lines", verbose_name=_("booking")
    )
    quantity = models.SmallIntegerField(_("quantity"))
    unit_price_cents = models.PositiveIntegerField(_("unit price (cents)"))
    late = models.BooleanField(_("late (surcharged price)"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("basket line")
        verbose_name_plural = _("basket lines")
        ordering = ["session__date", "session__activity__start_time", "child", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__in=[1, -1]), name="basket_line_quantity_one"
            ),
            models.CheckConstraint(
                condition=Q(unit_price_cents__gte=0), name="basket_line_price_positive"
            ),
            models.CheckConstraint(
                condition=(Q(kind="reservation", quantity=1) | Q(kind="cancellation", quantity=-1)),
                name="basket_line_kind_matches_quantity",
            ),
            models.UniqueConstraint(
                fields=["basket", "child", "session"], name="basket_line_one_per_child_session"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.child} {self.session}"

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


class Attendance(models.Model):
    """Staff's mark (pointage) for a child on a session; once there, the day is locked.

    Written by portail/backoffice/attendance/ (writing.py); the planning reads it ("Fréquentation
    déjà saisie", and "Non utilisé" for a booked child marked absent). `justified`: absent
    with a medical certificate (the booking's price became credit). `charge_cents`: a
    child present without booking, at the activity's late price, due by the household
    (billed with invoicing).
    """

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("child")
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("session")
    )
    present = models.BooleanField(_("present"))
    justified = models.BooleanField(_("absence justified"), default=False)
    charge_cents = models.PositiveIntegerField(
        _("amount due (cents)"),
        null=True,
        blank=True,
        help_text=_("Present without booking: the late price, due by the household."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "session"], name="attendance_one_per_child_session"
            ),
            models.CheckConstraint(
                condition=Q(present=False) | Q(justified=False),
                name="attendance_justified_only_absent",
            ),
            models.CheckConstraint(
                condition=Q(charge_cents__isnull=True) | Q(present=True),
                name="attendance_charge_only_present",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.session}"


class HistoryAction(models.TextChoices):
    """Codes stored in the history ("Type d'action" in the recap PDF).

    A closure by the service is a REMOVE_RESERVATION written by the portal (detail
    "session_closed"); staff's attendance marks (pointage) are ATTENDANCE_PRESENT /
    ATTENDANCE_ABSENT, at the day's price.
    """

    ADD_RESERVATION = "add_reservation", _("Added: RESERVATION")
    REMOVE_RESERVATION = "remove_reservation", _("Removed: RESERVATION")
    ATTENDANCE_PRESENT = "attendance_present", _("Attendance: PRESENT")
    ATTENDANCE_ABSENT = "attendance_absent", _("Attendance: ABSENT")


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("API")
    TYPICAL_WEEK = "typical_week", _("Typical week")
    BACKOFFICE = "backoffice", _("Back office")
    SYSTEM = "system", _("Automatic")


class HistoryDetail(models.TextChoices):
    """Why a history row was written (the action says what)."""

    REQUESTED = "requested", _("Reservation requested")
    WITHDRAWN = "withdrawn", _("Request withdrawn from the basket")
    BASKET_DROPPED = "basket_dropped", _("Basket cancelled")
    BASKET_EXPIRED = "basket_expired", _("Basket expired before payment")
    CANCELLATION_REQUESTED = "cancellation_requested", _("Cancellation requested")
    CANCELLATION_WITHDRAWN = "cancellation_withdrawn", _("Cancellation withdrawn")
    # Attendance (portail/backoffice/attendance/).
    JUSTIFIED_ABSENCE = "justified_absence", _("Justified absence: price credited")
    PRESENT_UNBOOKED = "present_unbooked", _("Present without booking: late price due")
    ATTENDANCE_CORRECTED = "attendance_corrected", _("Attendance mark corrected")
    # Checkout and payments (portail/billing: settlement.py, closures.py, counter.py).
    PAID = "paid", _("Paid online")
    VALIDATED = "validated", _("Validated (nothing to pay)")
    # Bookings invoiced after the fact (Booking.invoiced): nothing paid, nothing credited.
    BOOKED_INVOICED = "booked_invoiced", _("Booked: invoiced after the fact")
    CANCELLED_NOT_INVOICED = "cancelled_not_invoiced", _("Cancellation validated: not invoiced")
    CLOSED_NOT_INVOICED = "closed_not_invoiced", _("Day closed by the service: not invoiced")
    JUSTIFIED_NOT_INVOICED = "justified_not_invoiced", _("Justified absence: not invoiced")
    CANCELLATION_VALIDATED = "cancellation_validated", _("Cancellation validated: price credited")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed (place taken or day closed)")
    LATE_PAYMENT = "late_payment", _("Confirmed by a payment received late")
    SESSION_CLOSED = "session_closed", _("Day closed by the service: price credited")
    PAID_AT_COUNTER = "paid_at_counter", _("Paid at the counter")
    CANCELLATION_NOT_APPLIED = (
        "cancellation_not_applied",
        _("Cancellation not applied: attendance already recorded"),
    )
    # The waiting list (portail/reservations/waiting.py).
    WAITING_OFFER = "waiting_offer", _("Place offered from the waiting list")
    OFFER_EXPIRED = "offer_expired", _("Waiting-list offer not taken in time")
    OFFER_DECLINED = "offer_declined", _("Waiting-list offer declined")


class ActorKind(models.TextChoices):
    GUARDIAN = "guardian", _("Guardian")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("Automatic")


class HistoryEntry(models.Model):
    """One action on one child's day: who, when, through which channel, at what price."""

    # No index of its own: history_child_session begins with it.
    child = models.ForeignKey(
        Child,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=_("child"),
        db_index=False,
    )
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="history", verbose_name=_("session")
    )
    action = models.CharField(_("action"), max_length=40, choices=HistoryAction)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_kind = models.CharField(_("by"), max_length=20, choices=ActorKind)
    # The user's e-mail at the time, kept even if the login is later deleted.
    actor_label = models.CharField(_("user e-mail"), max_length=254, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    price_cents = models.IntegerField(_("price (cents)"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=40, choices=HistoryDetail, blank=True)
    created_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["child", "session"], name="history_child_session")]

    def __str__(self) -> str:
        return f"{self.child} {self.session} {self.get_action_display()}"

    @property
    def who(self) -> str:
        """As the seed's PDF shows it: the guardian's e-mail, or "Service gestionnaire"."""
        if self.actor_kind == ActorKind.GUARDIAN:
            return self.actor_label
        if self.actor_kind == ActorKind.STAFF:
            return gettext("Management service")
        return gettext("Automatic (portal)")


class TypicalWeek(models.Model):
    """The household's typical week ("semaine type"), remembered per child and activity.

    Written when a typical week is applied (portail/reservations/typical_week.py): booking
    weekdays sets them, cancelling weekdays removes them. The "Type" page starts from it,
    so that next period the parent only checks the dates.
    """

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="typical_weeks", verbose_name=_("child")
    )
    activity = models.ForeignKey(
        "activities.Activity",
        on_delete=models.CASCADE,
        related_name="typical_weeks",
        verbose_name=_("activity"),
    )
    # Monday = 0, as Activity.weekdays: "0,1,3,4"; empty when every weekday was cancelled.
    weekdays = models.CharField(_("weekdays"), max_length=13, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("typical week")
        verbose_name_plural = _("typical weeks")
        ordering = ["child", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "activity"], name="typical_week_one_per_child_activity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.activity}: {self.weekdays}"

    @property
    def weekday_list(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays.split(",") if d.strip()})


# The waiting list's models live in waiting_models.py (this module's length); imported here
# so that Django registers them with the app.
from portail.reservations.waiting_models import (  # noqa: E402, F401
    ACTIVE_WAITING_STATUSES,
    WaitingEvent,
    WaitingListEntry,
    WaitingStatus,
)
