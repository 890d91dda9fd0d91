"""The amounts of the two yearly certificates (attestations), read from what was paid.

**Attestation fiscale** (frais de garde des enfants de moins de 6 ans, for the income tax
credit): per child under 6 on 1 January of the year, what the household paid *in that
year* for care. Precisely, for year Y and one child:

- a child counts when born on or after 1 January of Y − 6 (the tax administration's
  "moins de 6 ans au 1er janvier", i.e. born in Y − 6 or later): a child who turns 6
  during Y counts for the whole of Y, a child already 6 on 1 January not at all;
- care is every activity except the school canteen (Activity.Kind.CANTEEN: meals are
  not care);
- prepaid days: + the price of each of the child's care days confirmed in Y (the
  history's ADD_RESERVATION written when a basket is paid online, validated, paid at
  the counter or by a payment received late: the price paid, a late booking's included),
  − each credit given back in Y for one of the child's care days (a cancellation in time,
  a day closed by the service, a justified absence: CreditEntry of those kinds);
- invoices: for each invoice, what was applied to it in Y (every InvoicePayment received
  in Y, the household's credit included, since credit given back was deducted when
  given) minus what its credit notes gave back in Y, times the share of the invoice's
  total made of the child's care lines (presences and booked days; a surcharge for a
  child present without booking and a day booked and not used are penalties and never
  count), rounded down to the cent;
- a child's amount is never below 0; children with 0 are left out.

**Attestation de paiement** (for an employer, the CESU): every payment the household
made in Y, money only: baskets paid online (PayFiP, state paid, by paid_at) or at the
counter, and invoice payments received in Y except those made with the household's
credit (that money was counted when it was paid).

Years are calendar years in the portal's time zone (Europe/Paris). Each function runs a
fixed number of queries whatever the number of children, days or payments.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import timezone

from portail.activities.models import Activity
from portail.billing.models import (
    PER_BOOKING_KINDS,
    ChargeKind,
    CounterPayment,
    CreditEntry,
    CreditNote,
    InvoiceLine,
    InvoicePayment,
    InvoicePaymentMethod,
    Payment,
    PaymentState,
)
from portail.families.models import Child, Household
from portail.reservations.models import HistoryAction, HistoryDetail, HistoryEntry

# The history details of a prepaid day confirmed (and so paid for).
CONFIRMED_DETAILS = (
    HistoryDetail.PAID,
    HistoryDetail.VALIDATED,
    HistoryDetail.PAID_AT_COUNTER,
    HistoryDetail.LATE_PAYMENT,
)
# Invoice lines that are care (the others, surcharge and day not used, are penalties).
CARE_LINE_KINDS = (ChargeKind.PRESENCE, ChargeKind.BOOKED_DAY)
NOT_CARE = (Activity.Kind.CANTEEN,)
# The age limit of the tax credit for childcare.
AGE_LIMIT = 6


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 January of `year` at midnight and of the next year, in the portal's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def under_age_limit(child: Child, year: int) -> bool:
    """Under 6 on 1 January of `year`: born in `year` − 6 or later."""
    return child.birth_date >= datetime.date(year - AGE_LIMIT, 1, 1)


@dataclass(frozen=True)
class ChildCare:
    child: Child
    prepaid_cents: int  # prepaid days confirmed, less the credit given back
    invoiced_cents: int  # the child's care share of what was paid on invoices
    total_cents: int


@dataclass(frozen=True)
class TaxCertificate:
    year: int
    children: list[ChildCare]  # under 6 on 1 January, with an amount

    @property
    def total_cents(self) -> int:
        return sum(child.total_cents for child in self.children)


def _prepaid_care(child_ids: list[int], start, end) -> dict[int, int]:
    """Per child: care days confirmed in the year, less the credit given back for care
    days in the year (two queries)."""
    amounts: dict[int, int] = defaultdict(int)
    confirmed = (
        HistoryEntry.objects.filter(
            child_id__in=child_ids,
            action=HistoryAction.ADD_RESERVATION,
            detail__in=CONFIRMED_DETAILS,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(session__activity__kind__in=NOT_CARE)
        .order_by()
        .values("child_id")
        .annotate(cents=Sum("price_cents"))
    )
    for row in confirmed:
        amounts[row["child_id"]] += row["cents"] or 0
    given_back = (
        CreditEntry.objects.filter(
            booking__child_id__in=child_ids,
            kind__in=PER_BOOKING_KINDS,
            created_at__gte=start,
            created_at__lt=end,
        )
        .exclude(booking__session__activity__kind__in=NOT_CARE)
        .order_by()
        .values("booking__child_id")
        .annotate(cents=Sum("amount_cents"))
    )
    for row in given_back:
        amounts[row["booking__child_id"]] -= row["cents"] or 0
    return amounts


def _invoiced_care(household: Household, child_ids: list[int], start, end) -> dict[int, int]:
    """Per child: its care share of what was paid on each invoice in the year, less what
    credit notes gave back in the year (three queries)."""
    paid: dict[int, int] = defaultdict(int)
    payments = (
        InvoicePayment.objects.filter(
            household=household, received_at__gte=start, received_at__lt=end
        )
        .order_by()
        .values("invoice_id")
        .annotate(cents=Sum("amount_cents"))
    )
    for row in payments:
        paid[row["invoice_id"]] += row["cents"] or 0
    refunds = (
        CreditNote.objects.filter(
            invoice__household=household, created_at__gte=start, created_at__lt=end
        )
        .order_by()
        .values("invoice_id")
        .annotate(cents=Sum("refunded_cents"))
    )
    for row in refunds:
        paid[row["invoice_id"]] -= row["cents"] or 0
    amounts: dict[int, int] = defaultdict(int)
    if not paid:
        return amounts
    care = (
        InvoiceLine.objects.filter(
            invoice_id__in=list(paid), child_id__in=child_ids, kind__in=CARE_LINE_KINDS
        )
        .exclude(session__activity__kind__in=NOT_CARE)
        .order_by()
        .values("invoice_id", "invoice__total_cents", "child_id")
        .annotate(cents=Sum("total_cents"))
    )
    for row in care:
        share = paid[row["invoice_id"]] * row["cents"]
        # Rounded down to the cent (towards minus infinity for money given back).
        amounts[row["child_id"]] += share // row["invoice__total_cents"]
    return amounts


def tax_certificate(household: Household, year: int) -> TaxCertificate:
    """The attestation fiscale's amounts for `year` (see the module's docstring)."""
    children = [
        child
        for child in household.children.order_by("birth_date", "first_name", "pk")
        if under_age_limit(child, year)
    ]
    if not children:
        return TaxCertificate(year=year, children=[])
    start, end = year_bounds(year)
    ids = [child.pk for child in children]
    prepaid = _prepaid_care(ids, start, end)
    invoiced = _invoiced_care(household, ids, start, end)
    rows = []
    for child in children:
        total = max(0, prepaid[child.pk] + invoiced[child.pk])
        if total:
            rows.append(ChildCare(child, prepaid[child.pk], invoiced[child.pk], total))
    return TaxCertificate(year=year, children=rows)


# PaidItem.kind
BASKET_ONLINE = "basket_online"
BASKET_COUNTER = "basket_counter"
INVOICE = "invoice"


@dataclass(frozen=True)
class PaidItem:
    """One payment the household made."""

    at: datetime.datetime
    kind: str  # BASKET_ONLINE | BASKET_COUNTER | INVOICE
    reference: str  # the basket's reference or the invoice's number
    method: str  # the means of payment's code (InvoicePaymentMethod / CounterMeans / online)
    method_label: str  # in the active language
    amount_cents: int


@dataclass(frozen=True)
class PaymentCertificate:
    year: int
    items: list[PaidItem]  # oldest first

    @property
    def total_cents(self) -> int:
        return sum(item.amount_cents for item in self.items)


def payment_certificate(household: Household, year: int) -> PaymentCertificate:
    """The attestation de paiement's payments in `year` (three queries)."""
    start, end = year_bounds(year)
    items: list[PaidItem] = []
    online = Payment.objects.filter(
        household=household,
        basket__isnull=False,
        state=PaymentState.PAID,
        paid_at__gte=start,
        paid_at__lt=end,
    ).select_related("basket")
    online_label = str(InvoicePaymentMethod.ONLINE.label)
    for payment in online.order_by():
        items.append(
            PaidItem(
                payment.paid_at,
                BASKET_ONLINE,
                payment.basket.reference,
                InvoicePaymentMethod.ONLINE,
                online_label,
                payment.amount_cents,
            )
        )
    counter = CounterPayment.objects.filter(
        household=household, created_at__gte=start, created_at__lt=end
    ).select_related("basket")
    for row in counter.order_by():
        items.append(
            PaidItem(
                row.created_at,
                BASKET_COUNTER,
                row.basket.reference,
                row.means,
                str(row.get_means_display()),
                row.amount_cents,
            )
        )
    invoice_payments = (
        InvoicePayment.objects.filter(
            household=household, received_at__gte=start, received_at__lt=end
        )
        .exclude(method=InvoicePaymentMethod.CREDIT)
        .select_related("invoice")
    )
    for row in invoice_payments.order_by():
        items.append(
            PaidItem(
                row.received_at,
                INVOICE,
                row.invoice.number,
                row.method,
                str(row.get_method_display()),
                row.amount_cents,
            )
        )
    items.sort(key=lambda item: (item.at, item.reference))
    return PaymentCertificate(year=year, items=items)
