"""Activities, their sessions (one activity on one date), enrolments and tariffs."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portail.core.models import Site
from portail.families.models import Child, Household

WEEKDAYS_VALIDATOR = RegexValidator(
    r"^[0-6](,[0-6]){0,6}$", _("Weekdays as digits separated by commas, Monday = 0.")
)


class DeadlineKind(models.TextChoices):
    """How the field expresses a deadline (see activities/deadlines.py)."""

    NONE = "none", _("Until the session starts")
    HOURS_BEFORE = "hours_before", _("N hours before the start")
    DAYS_BEFORE = "days_before", _("N days before, at a time")
    WORKING_DAYS_BEFORE = "working_days_before", _("N working days before, at a time")
    WEEKDAY_BEFORE_WEEK = "weekday_before_week", _("A weekday of the previous week, at a time")


class LatePolicy(models.TextChoices):
    REFUSE = "refuse", _("Refuse late bookings")
    SURCHARGE = "surcharge", _("Accept at the late price")


class BillingMode(models.TextChoices):
    """How an activity is paid (billing/invoicing/ bills the last two after the fact)."""

    PREPAID = "prepaid", _("Prepaid (booked and paid online)")
    ON_ATTENDANCE = "on_attendance", _("Invoiced on attendance (no booking)")
    ON_BOOKING = "on_booking", _("Invoiced on booking")


class Activity(models.Model):
    class Kind(models.TextChoices):
        CANTEEN = "canteen", _("School canteen")
        ALAE = "alae", _("ALAE (before and after school)")
        LEISURE = "leisure", _("Leisure centre (Wednesdays and holidays)")

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="activities", verbose_name=_("site")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    weekdays = models.CharField(
        _("weekdays"),
        max_length=13,
        default="0,1,3,4",
        validators=[WEEKDAYS_VALIDATOR],
        help_text=_("Monday = 0 … Sunday = 6, e.g. 0,1,3,4 for Mon, Tue, Thu, Fri."),
    )
    start_time = models.TimeField(_("start time"))
    end_time = models.TimeField(_("end time"))
    requires_booking = models.BooleanField(_("needs a booking"), default=True)
    billing_mode = models.CharField(
        _("how it is paid"),
        max_length=20,
        choices=BillingMode,
        default=BillingMode.PREPAID,
        help_text=_(
            "Prepaid: booked days are paid online before they count. Invoiced on "
            "attendance: no booking, each presence recorded is invoiced. Invoiced on "
            "booking: booked days are invoiced after the fact."
        ),
    )
    bill_unused_days = models.BooleanField(
        _("invoice booked days not used"),
        default=True,
        help_text=_(
            "Invoiced on booking only: a booked day the child missed without a medical "
            'certificate ("Non utilisé") is invoiced.'
        ),
    )
    default_capacity = models.PositiveIntegerField(_("default capacity"))
    open_in_school_holidays = models.BooleanField(
        _("open during school holidays"),
        default=False,
        help_text=_("Leisure centres run in the holidays; canteens and ALAE do not."),
    )

    booking_deadline_kind = models.CharField(
        _("booking deadline"),
        max_length=30,
        choices=DeadlineKind,
        default=DeadlineKind.WORKING_DAYS_BEFORE,
    )
    booking_deadline_value = models.PositiveSmallIntegerField(
        _("booking deadline: hours, days or weekday"),
        default=2,
        help_text=_("Hours or days before; for a weekday of the previous week, Monday = 0."),
    )
    booking_deadline_time = models.TimeField(
        _("booking deadline: time"), default=datetime.time(10, 0)
    )
    cancel_deadline_kind = models.CharField(
        _("cancellation deadline"),
        max_length=30,
        choices=DeadlineKind,
        default=DeadlineKind.WORKING_DAYS_BEFORE,
    )
    cancel_deadline_value = models.PositiveSmallIntegerField(
        _("cancellation deadline: hours, days or weekday"), default=2
    )
    cancel_deadline_time = models.TimeField(
        _("cancellation deadline: time"), default=datetime.time(10, 0)
    )
    late_policy = models.CharField(
        _("after the booking deadline"),
        max_length=20,
        choices=LatePolicy,
        default=LatePolicy.SURCHARGE,
    )
    hold_minutes = models.PositiveIntegerField(
        _("hold time (minutes)"),
        null=True,
        blank=True,
        help_text=_("How long an unpaid request holds its place; empty: the portal's default."),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["site__name", "start_time", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="activity_ends_after_start"
            ),
            models.UniqueConstraint(fields=["site", "name"], name="activity_unique_name"),
            # Invoiced on attendance means no booking; the other modes book.
            models.CheckConstraint(
                condition=Q(billing_mode="on_attendance", requires_booking=False)
                | Q(billing_mode__in=["prepaid", "on_booking"], requires_booking=True),
                name="activity_billing_mode_matches_booking",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weekday_list(self) -> list[int]:
        return sorted({int(d) for d in self.weekdays.split(",") if d.strip()})


class Session(models.Model):
    """One activity on one date, with its own capacity and open/closed state."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("activity")
    )
    date = models.DateField(_("date"))
    capacity = models.PositiveIntegerField(_("capacity"))
    is_open = models.BooleanField(_("open"), default=True)
    closed_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "activity__start_time"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="session_unique_day"),
            models.CheckConstraint(
                condition=Q(is_open=True) | ~Q(closed_reason=""),
                name="session_closed_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["date", "activity"], name="session_date_activity")]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        if not self.is_open and not self.closed_reason:
            raise ValidationError({"closed_reason": _("A closed day needs a reason.")})


class Enrolment(models.Model):
    """A child may book an activity only while enrolled in it."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("child")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("activity")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["child", "activity", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="enrolment_validity_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.activity}"

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day <= self.valid_to


class Tariff(models.Model):
    """Prices of one activity or group of activities over a period, in QF bands."""

    name = models.CharField(_("name"), max_length=200)
    activities = models.ManyToManyField(
        Activity, related_name="tariffs", verbose_name=_("activities")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))

    class Meta:
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")
        ordering = ["-valid_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="tariff_validity_order"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TariffBand(models.Model):
    """One quotient-familial band: QF from qf_min up to qf_max included (none: no limit)."""

    tariff = models.ForeignKey(
        Tariff, on_delete=models.CASCADE, related_name="bands", verbose_name=_("tariff")
    )
    qf_min = models.PositiveIntegerField(_("QF from"))
    qf_max = models.PositiveIntegerField(_("QF to"), null=True, blank=True)
    price_cents = models.PositiveIntegerField(_("price (cents)"))
    late_price_cents = models.PositiveIntegerField(_("late price (cents)"))

    class Meta:
        verbose_name = _("price band")
        verbose_name_plural = _("price bands")
        ordering = ["tariff", "qf_min"]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "qf_min"], name="band_unique_start"),
            models.CheckConstraint(
                condition=Q(qf_max__isnull=True) | Q(qf_max__gte=F("qf_min")),
                name="band_bounds_order",
            ),
            models.CheckConstraint(
                condition=Q(price_cents__gte=0) & Q(late_price_cents__gte=F("price_cents")),
                name="band_late_price_not_below_price",
            ),
        ]

    def __str__(self) -> str:
        upper = "∞" if self.qf_max is None else self.qf_max
        return f"{self.qf_min}–{upper}"

    def contains(self, qf: int) -> bool:
        return self.qf_min <= qf and (self.qf_max is None or qf <= self.qf_max)


# --- Booking windows (docs/booking-windows.md) ----------------------------------------------


class PriorityCriterion(models.TextChoices):
    """Why a household books first when a booking window opens (ticked by staff)."""

    RESIDENT = "resident", _("Resident of the town")
    SIBLING_ENROLLED = "sibling_enrolled", _("A brother or sister already enrolled")
    WORKING_PARENTS = "working_parents", _("Working parents")


class HouseholdPriority(models.Model):
    """One priority criterion a staff member ticked for a household."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="priorities", verbose_name=_("household")
    )
    criterion = models.CharField(_("criterion"), max_length=30, choices=PriorityCriterion)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set on"), auto_now_add=True)

    class Meta:
        verbose_name = _("priority criterion")
        verbose_name_plural = _("priority criteria")
        ordering = ["household", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "criterion"], name="household_priority_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} – {self.get_criterion_display()}"


def new_seed() -> str:
    """A window's draw seed: random, set once at creation, published to staff."""
    return secrets.token_hex(8)


class BookingWindow(models.Model):
    """When the days of some activities over a date range open for booking.

    Before `opens_at` (or `priority_opens_at` for households with a priority criterion)
    those days cannot be booked. With `draw_minutes`, the requests made from the first
    opening until `opens_at + draw_minutes` are collected, then drawn in the random order
    given by `seed` (priority households first); after that, first come, first served."""

    name = models.CharField(_("name"), max_length=200)
    activities = models.ManyToManyField(
        Activity, related_name="booking_windows", verbose_name=_("activities")
    )
    first_day = models.DateField(_("first day governed"))
    last_day = models.DateField(_("last day governed"))
    opens_at = models.DateTimeField(_("opens for everyone at"))
    priority_opens_at = models.DateTimeField(
        _("opens for priority households at"),
        null=True,
        blank=True,
        help_text=_("Empty: no earlier opening for priority households."),
    )
    draw_minutes = models.PositiveSmallIntegerField(
        _("draw window (minutes)"),
        default=0,
        help_text=_(
            "Requests made in the first minutes after opening are drawn in a random order "
            "at the end of them; 0: first come, first served from the opening."
        ),
    )
    seed = models.CharField(_("draw seed"), max_length=32, default=new_seed, editable=False)
    drawn_at = models.DateTimeField(_("drawn on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created on"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking window")
        verbose_name_plural = _("booking windows")
        ordering = ["-opens_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="booking_window_days_order"
            ),
            models.CheckConstraint(
                condition=Q(priority_opens_at__isnull=True)
                | Q(priority_opens_at__lt=F("opens_at")),
                name="booking_window_priority_first",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_draw(self) -> bool:
        return self.draw_minutes > 0

    @property
    def first_opening(self) -> datetime.datetime:
        return self.priority_opens_at or self.opens_at

    @property
    def draw_at(self) -> datetime.datetime:
        """The end of the draw window (the opening itself when there is no draw)."""
        return self.opens_at + datetime.timedelta(minutes=self.draw_minutes)

    def governs(self, activity_id: int, day: datetime.date) -> bool:
        """Does this window govern this activity's day? (activities prefetched)"""
        return self.first_day <= day <= self.last_day and any(
            a.pk == activity_id for a in self.activities.all()
        )


class DrawEntry(models.Model):
    """A household's requests collected in a window's draw, and its rank once drawn."""

    window = models.ForeignKey(
        BookingWindow, on_delete=models.CASCADE, related_name="entries", verbose_name=_("window")
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="draw_entries",
        verbose_name=_("household"),
    )
    created_at = models.DateTimeField(_("registered on"))
    rank = models.PositiveIntegerField(_("rank in the draw"), null=True, blank=True)
    priority = models.BooleanField(_("priority household"), default=False)

    class Meta:
        verbose_name = _("draw entry")
        verbose_name_plural = _("draw entries")
        ordering = ["window", "rank", "household"]
        constraints = [
            models.UniqueConstraint(fields=["window", "household"], name="draw_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.window} – {self.household}"


class DrawOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the draw")
    GIVEN = "given", _("Place given")
    NOT_GIVEN = "not_given", _("No place given")
    WAITING_LIST = "waiting_list", _("On the waiting list")


class DrawRequest(models.Model):
    """One child's day asked in a draw entry (who asked, when, from where), and what the
    draw gave."""

    entry = models.ForeignKey(
        DrawEntry, on_delete=models.CASCADE, related_name="requests", verbose_name=_("entry")
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="draw_requests", verbose_name=_("child")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="draw_requests", verbose_name=_("day")
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    channel = models.CharField(_("channel"), max_length=20)
    asked_at = models.DateTimeField(_("asked on"))
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=DrawOutcome, default=DrawOutcome.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("draw request")
        verbose_name_plural = _("draw requests")
        ordering = ["entry", "session__date", "child"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "child", "session"], name="draw_request_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} {self.session}"


class ConfigStamp(models.Model):
    """One row whose `value` changes, by database triggers, with every write to the tables
    that price and open days: tariffs, their bands and activities, booking windows and
    their activities (migration 0004). Every write: saves, deletes, bulk and raw updates
    alike, on SQLite and PostgreSQL. activities/config_cache.py keeps those tables in each
    process's memory and reads this value with a query the request makes anyway."""

    value = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("configuration stamp")

    def __str__(self) -> str:
        return self.value
