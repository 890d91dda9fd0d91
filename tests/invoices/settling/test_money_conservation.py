"""The money-conservation property (tests/billing/test_money_conservation.py) with
invoices: over random sequences mixing the basket's steps with billing runs, counter
payments, credit applied, credit notes, cancellations and PayFiP payments of invoices
(with the same random answers, late ones included), after every step and for every
household:

    paid on PayFiP (baskets and invoices) + paid at the counter for invoices
      + credit granted by staff
    == confirmed prepaid bookings + invoice payments applied (net of what credit notes
       gave back) + credit balance

and no invoice is ever paid beyond its total (the database's constraints say the rest).
"""

import contextlib
import datetime
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import F, Sum
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from portail.activities.models import Activity
from portail.billing import credits
from portail.billing.invoicing import online, runs, settling
from portail.billing.models import (
    COUNTER_METHODS,
    CreditEntry,
    Invoice,
    InvoicePayment,
    Payment,
    PaymentState,
)
from portail.payfip import client
from portail.reservations.models import Attendance, Booking, BookingStatus, Channel
from portail.reservations.occupancy import taken_places
from tests import factories
from tests.billing import test_money_conservation as basket_property

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2026, 10, 1)
STAFF = {"channel": Channel.BACKOFFICE}

h = basket_property.household_index
# PayFiP's first answer to an invoice's payment: paid more often than in the basket test.
online_answers = st.one_of(st.just("P"), basket_property.answers)
fraction = st.sampled_from([1, 2, 3, 10])  # of what remains: all, half, a third, a tenth
invoice_steps = st.one_of(
    st.tuples(st.just("billed"), h, st.integers(1, 3)),
    st.tuples(st.just("billed"), h, st.integers(1, 3)),
    st.tuples(st.just("counter"), h, fraction),
    st.tuples(st.just("counter"), h, fraction),
    st.tuples(st.just("invoice_credit"), h),
    st.tuples(st.just("credit_note"), h, fraction),
    st.tuples(st.just("credit_note"), h, fraction),
    st.tuples(st.just("cancel_invoice"), h),
    st.tuples(st.just("invoice_online"), h, st.booleans(), online_answers),
    st.tuples(st.just("invoice_online"), h, st.booleans(), online_answers),
    st.tuples(st.just("invoice_online"), h, st.booleans(), online_answers),
)
basket_steps = st.one_of(
    basket_property.journey,
    basket_property.journey,
    st.tuples(st.just("answer"), h, basket_property.answers),
    st.tuples(st.just("late_paid"), h),
    st.tuples(st.just("late_paid"), h),
    st.tuples(st.just("time"), st.integers(1, 45)),
    st.tuples(st.just("expire_baskets")),
    st.tuples(st.just("staff_credit"), h, st.integers(-900, 900).filter(lambda n: n != 0)),
)
steps = st.lists(st.one_of(basket_steps, invoice_steps), min_size=3, max_size=20)


class InvoicedCommune(basket_property.Commune):
    """The basket property's commune plus an ALAE invoiced on attendance (its presences
    in October, before the suite's clock) and the invoices' steps."""

    def __init__(self, households: int, capacities: list[int]) -> None:
        super().__init__(households, capacities)
        self.alae = factories.activity(
            name="ALAE soir", kind=Activity.Kind.ALAE, requires_booking=False
        )
        factories.tariff([self.alae], [(0, 999, 110, 110), (1000, None, 290, 290)])
        self.next_day = 0

    def _invoice(self, h: int) -> Invoice | None:
        """The household's oldest invoice with something due, else its newest."""
        household, _user, _kids = self.family(h)
        rows = Invoice.objects.filter(household=household)
        due = rows.exclude(status__in=settling.CLOSED_STATUSES).order_by("pk").first()
        return due or rows.order_by("-pk").first()

    def do_billed(self, h: int, count: int) -> None:
        """Presences recorded for the household, then a billing run."""
        _household, _user, kids = self.family(h)
        for _ in range(count):
            day = FIRST_DAY + datetime.timedelta(days=self.next_day % 30)
            self.next_day += 1
            session = factories.session(self.alae, day)
            Attendance.objects.create(child=kids[0], session=session, present=True)
        last = FIRST_DAY + datetime.timedelta(days=30)
        runs.issue(FIRST_DAY, last, actor=None, channel=Channel.BACKOFFICE, now=self.now)

    def do_counter(self, h: int, part: int) -> None:
        invoice = self._invoice(h)
        if invoice is not None and invoice.remaining_cents:
            amount = max(1, invoice.remaining_cents // part)
            settling.record_counter_payment(
                invoice,
                amount_cents=amount,
                method="cheque",
                actor=self.staff,
                now=self.now,
                **STAFF,
            )

    def do_invoice_credit(self, h: int) -> None:
        invoice = self._invoice(h)
        if invoice is not None:
            with contextlib.suppress(settling.InvoiceRefused):
                settling.apply_credit(invoice, actor=self.staff, now=self.now, **STAFF)

    def do_credit_note(self, h: int, part: int) -> None:
        household, _user, _kids = self.family(h)
        invoice = Invoice.objects.filter(household=household).order_by("-pk").first()
        if invoice is not None:
            left = invoice.total_cents - invoice.cancelled_cents
            with contextlib.suppress(settling.InvoiceRefused):
                settling.issue_credit_note(
                    invoice,
                    amount_cents=max(1, left // part),
                    reason="Erreur",
                    actor=self.staff,
                    now=self.now,
                    **STAFF,
                )

    def do_cancel_invoice(self, h: int) -> None:
        invoice = self._invoice(h)
        if invoice is not None:
            with contextlib.suppress(settling.InvoiceRefused):
                settling.cancel_invoice(
                    invoice, reason="Annulée", actor=self.staff, now=self.now, **STAFF
                )

    def do_invoice_online(self, h: int, use_credit: bool, answer: str) -> None:
        invoice = self._invoice(h)
        if invoice is None:
            return
        _household, user, _kids = self.family(h)
        with (
            mock.patch.object(client, "create_payment", basket_property._create_payment),
            contextlib.suppress(settling.InvoiceRefused),
        ):
            online.start_checkout(
                invoice, use_credit=use_credit, actor=user, channel=Channel.WEB, now=self.now
            )
        self.do_answer(h, answer)

    def check(self) -> None:
        """The property with invoices, per household, and the ledger's and places' checks
        of the basket property."""
        ids = [household.pk for household, _user, _kids in self.families]
        online_paid = _sums(Payment.objects.filter(state=PaymentState.PAID), "amount_cents")
        held = _sums(Payment.objects.filter(state=PaymentState.PENDING), "credit_hold_cents")
        counter = _sums(InvoicePayment.objects.filter(method__in=COUNTER_METHODS), "amount_cents")
        applied = _sums(Invoice.objects.annotate(net=F("paid_cents") - F("refunded_cents")), "net")
        reserved = _sums(
            Booking.objects.filter(status=BookingStatus.RESERVED),
            "price_cents",
            "child__household_id",
        )
        for pk in ids:
            running = 0
            for amount, after in (
                CreditEntry.objects.filter(household_id=pk)
                .order_by("seq")
                .values_list("amount_cents", "balance_after_cents")
            ):
                running += amount
                assert after == running
            balance = credits.balance_cents(pk)
            assert balance == running
            assert balance - held.get(pk, 0) >= 0
            paid = online_paid.get(pk, 0) + counter.get(pk, 0) + credits.staff_granted_cents(pk)
            assert paid == reserved.get(pk, 0) + applied.get(pk, 0) + balance
        for invoice in Invoice.objects.all():
            on_it = invoice.payments_applied.aggregate(t=Sum("amount_cents"))["t"] or 0
            assert on_it == invoice.paid_cents
            assert invoice.paid_cents - invoice.refunded_cents <= invoice.total_cents
        for status in Invoice.objects.values_list("status", flat=True).distinct():
            event(f"invoice {status}")
        if Invoice.objects.filter(refunded_cents__gt=0).exists():
            event("credit note on money paid")
        if InvoicePayment.objects.filter(method="online").exists():
            event("paid online")
        taken = taken_places([s.pk for s in self.sessions], now=self.now)
        for session in self.sessions:
            assert taken.get(session.pk, 0) <= session.capacity


def _sums(rows, field: str, key: str = "household_id") -> dict[int, int]:
    """{household id: sum of field} in one query."""
    return dict(rows.values(key).annotate(total=Sum(field)).values_list(key, "total"))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    households=st.just(2),
    capacities=st.lists(
        st.integers(1, 2), min_size=basket_property.SESSIONS, max_size=basket_property.SESSIONS
    ),
    script=steps,
)
# Paths a random search may miss, always tried: paid in part at the counter then credited
# beyond what remains; paid online, then at the counter while another online payment is
# lost and reported paid late; credit used, then the invoice cancelled.
@example(2, [1, 1, 1], [("billed", 0, 3), ("counter", 0, 2), ("credit_note", 0, 1)])
@example(
    2,
    [1, 1, 1],
    [
        ("billed", 0, 3),
        ("invoice_online", 0, False, "lost"),
        ("counter", 0, 1),
        ("late_paid", 0),
        ("billed", 0, 2),
        ("invoice_online", 0, False, "P"),
        ("credit_note", 0, 2),
    ],
)
@example(
    2,
    [1, 1, 1],
    [
        ("staff_credit", 1, 300),
        ("billed", 1, 3),
        ("invoice_online", 1, True, "P"),
        ("cancel_invoice", 1),
        ("journey", 1, [(0, 0)], "P"),
    ],
)
def test_money_is_conserved_with_invoices(households, capacities, script):
    with transaction.atomic():
        commune = InvoicedCommune(households, capacities)
        for step in script:
            commune.step(step)
            commune.check()
        transaction.set_rollback(True)
