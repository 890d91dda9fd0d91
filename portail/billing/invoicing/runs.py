"""A billing run (facturation): what a period owes, previewed per household, then issued.

`preview(start, end, now=...)` writes nothing: per household, the lines (child, day,
activity, kind, the price rule that gave each amount) and the totals an issue would
write now. `issue(start, end, actor=..., channel=..., now=...)` writes one `BillingRun`
and one invoice per household whose total is positive.

Each item is billed once, even if two runs overlap or run at the same moment: the run
goes household by household, in batches of `BATCH` households, each batch in one
transaction that locks the households' rows (in primary-key order, the lock every change
of a household's bookings and attendance takes first), then reads again, under that
lock, the items not billed yet, writes the invoices with their numbers (gapless per year,
numbering.take: the sequence's row is locked last), their lines and their history. A
second run waiting on the same households then finds their items billed. The unique
`charge_key` of invoice lines is the backstop. What is recorded after a run (an
attendance marked late) is not billed yet, so the next run covering its day bills it.

Only days before the run's issue day are billed (a day is billed once it is over).
`issued_on` is the run's day in the portal's time zone; `due_on` is issued_on plus
settings.PORTAIL_INVOICE_DUE_DAYS.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities.pricing import PriceBook
from portail.billing.invoicing import charges as chargeable
from portail.billing.invoicing import history, numbering
from portail.billing.invoicing.charges import Charge, Unpriced
from portail.billing.models import (
    INVOICE_PREFIX,
    BillingRun,
    Invoice,
    InvoiceAction,
    InvoiceEvent,
    InvoiceLine,
)
from portail.core.locking import locked
from portail.families.models import Household
from portail.reservations.forms import FIRST_YEAR, LAST_YEAR

BATCH = 200
# A run covers at most this many days (a year, leap day included).
MAX_PERIOD_DAYS = 366
ATTEMPTS = 3


class RunRefused(Exception):
    """A period that cannot be billed: `code` for programs, `message` for people,
    `field` the input at fault ("period_start" or "period_end")."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass
class HouseholdBill:
    """One household's invoice as a run would write it."""

    household_id: int
    household: str
    charges: list[Charge]

    @property
    def total_cents(self) -> int:
        return sum(c.total_cents for c in self.charges)

    @property
    def children(self) -> list[tuple[str, list[Charge]]]:
        """The lines grouped by child, in order (for the pages)."""
        groups: dict[int, tuple[str, list[Charge]]] = {}
        for charge in self.charges:
            groups.setdefault(charge.child_id, (charge.child, []))[1].append(charge)
        return list(groups.values())


@dataclass
class RunPreview:
    period_start: datetime.date
    period_end: datetime.date
    issued_on: datetime.date
    due_on: datetime.date
    # The last day billed: the period's end, or the day before the issue day.
    last_day: datetime.date
    households: list[HouseholdBill] = field(default_factory=list)
    unpriced: list[Unpriced] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        return sum(h.total_cents for h in self.households)

    @property
    def invoice_count(self) -> int:
        return len(self.households)

    @property
    def line_count(self) -> int:
        return sum(len(h.charges) for h in self.households)


def check_period(start: datetime.date, end: datetime.date) -> None:
    """RunRefused unless [start, end] is a period a run may bill."""
    for name, day in (("period_start", start), ("period_end", end)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise RunRefused(
                "period_out_of_range",
                _("Choose a period between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                name,
            )
    if end < start:
        raise RunRefused(
            "period_order", _("The end of the period is before its start."), "period_end"
        )
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise RunRefused(
            "period_too_long",
            _("A billing run covers at most one year (%(days)d days).") % {"days": MAX_PERIOD_DAYS},
            "period_end",
        )


def _dates(start: datetime.date, end: datetime.date, now: datetime.datetime) -> RunPreview:
    check_period(start, end)
    issued_on = timezone.localdate(now)
    if start >= issued_on:
        raise RunRefused(
            "period_not_started",
            _("Only days before today are billed: choose a period that starts before today."),
            "period_start",
        )
    return RunPreview(
        period_start=start,
        period_end=end,
        issued_on=issued_on,
        due_on=issued_on + datetime.timedelta(days=settings.PORTAIL_INVOICE_DUE_DAYS),
        last_day=min(end, issued_on - datetime.timedelta(days=1)),
    )


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for index in range(0, len(ids), BATCH):
        yield ids[index : index + BATCH]


def _bills(found: chargeable.Found) -> list[HouseholdBill]:
    bills = []
    for household_id, charges in found.charges.items():
        bill = HouseholdBill(household_id, found.households[household_id].name, charges)
        if bill.total_cents > 0:
            bills.append(bill)
    return bills


def preview(
    period_start: datetime.date, period_end: datetime.date, *, now: datetime.datetime
) -> RunPreview:
    """What `issue()` would write now, per household (writes nothing). RunRefused for a
    period that cannot be billed."""
    result = _dates(period_start, period_end, now)
    book = chargeable.price_book(period_start, result.last_day)
    ids = chargeable.households_with_charges(period_start, result.last_day)
    for batch in _batches(ids):
        found = chargeable.load(batch, period_start, result.last_day, book)
        result.households.extend(_bills(found))
        result.unpriced.extend(found.unpriced)
    result.households.sort(key=lambda h: (h.household, h.household_id))
    return result


def issue(
    period_start: datetime.date,
    period_end: datetime.date,
    *,
    actor: User | None,
    channel: str,
    now: datetime.datetime,
) -> BillingRun:
    """Issue the invoices of the period (see the module's docstring): one BillingRun,
    one invoice per household with a positive total, for the days of the period before
    today. RunRefused for a period that cannot be billed (nothing written)."""
    dates = _dates(period_start, period_end, now)
    run = BillingRun.objects.create(
        period_start=period_start,
        period_end=period_end,
        issued_on=dates.issued_on,
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        channel=channel,
        created_at=now,
    )
    book = chargeable.price_book(period_start, dates.last_day)
    for batch in _batches(chargeable.households_with_charges(period_start, dates.last_day)):
        for attempt in range(ATTEMPTS):
            try:
                _issue_batch(run, batch, dates, book, actor=actor, channel=channel, now=now)
            except IntegrityError:
                # Another writer billed one of these items first (the unique charge_key):
                # read again; what it billed is left out now.
                if attempt == ATTEMPTS - 1:
                    raise
            else:
                break
    run.refresh_from_db()
    return run


def _issue_batch(
    run: BillingRun,
    household_ids: list[int],
    dates: RunPreview,
    book: PriceBook,
    *,
    actor: User | None,
    channel: str,
    now: datetime.datetime,
) -> None:
    with transaction.atomic():
        locked(Household.objects.filter(pk__in=household_ids))
        found = chargeable.load(household_ids, dates.period_start, dates.last_day, book)
        bills = sorted(_bills(found), key=lambda b: b.household_id)
        if not bills:
            return
        year = dates.issued_on.year
        numbers = numbering.take(INVOICE_PREFIX, year, len(bills))
        invoices = [
            Invoice(
                household_id=bill.household_id,
                run=run,
                year=year,
                seq=seq,
                number=numbering.format_number(INVOICE_PREFIX, year, seq),
                issued_on=dates.issued_on,
                due_on=dates.due_on,
                period_start=dates.period_start,
                period_end=dates.period_end,
                total_cents=bill.total_cents,
                created_at=now,
            )
            for bill, seq in zip(bills, numbers, strict=True)
        ]
        Invoice.objects.bulk_create(invoices)
        InvoiceLine.objects.bulk_create(
            [
                InvoiceLine(
                    invoice=invoice,
                    kind=charge.kind,
                    charge_key=charge.key,
                    child_id=charge.child_id,
                    session_id=charge.session_id,
                    booking_id=charge.booking_id,
                    attendance_id=charge.attendance_id,
                    label=charge.label,
                    price_rule=charge.price_rule[:200],
                    quantity=charge.quantity,
                    unit_price_cents=charge.unit_price_cents,
                    total_cents=charge.total_cents,
                )
                for invoice, bill in zip(invoices, bills, strict=True)
                for charge in bill.charges
            ]
        )
        detail = f"run {run.pk}: {dates.period_start.isoformat()} – {dates.period_end.isoformat()}"
        history.record_many(
            [
                InvoiceEvent(
                    invoice=invoice,
                    action=InvoiceAction.ISSUED,
                    amount_cents=invoice.total_cents,
                    detail=detail,
                    actor=actor,
                    actor_label=actor.email if actor is not None else "",
                    channel=channel,
                    at=now,
                )
                for invoice in invoices
            ]
        )
        BillingRun.objects.filter(pk=run.pk).update(
            total_cents=F("total_cents") + sum(i.total_cents for i in invoices),
            invoice_count=F("invoice_count") + len(invoices),
        )
