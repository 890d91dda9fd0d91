"""The certificates' amounts (billing/invoicing/certificates.py): care of children under 6
on 1 January (a child who turns 6 during the year counts for the whole year, one 6 or
over on 1 January not at all), meals and penalties excluded, invoices prorata of what was
paid in the year; the payment certificate counts money only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.billing.invoicing import certificates, settling
from portail.reservations.models import Channel

from . import certificate_world as cw

pytestmark = pytest.mark.django_db
PARIS = datetime.timezone(datetime.timedelta(hours=1))  # winter time


def test_care_of_the_year_per_child_under_6_on_new_years_day():
    world = cw.build()
    result = certificates.tax_certificate(world.world.household, 2026)
    assert [(row.child, row.prepaid_cents, row.invoiced_cents) for row in result.children] == [
        (world.young, 500, 1000)
    ]
    assert result.total_cents == 1500
    # Nothing in another year.
    assert certificates.tax_certificate(world.world.household, 2025).children == []


def test_the_age_limit_is_read_on_new_years_day():
    world = cw.build()
    young, older = world.young, world.older
    assert certificates.under_age_limit(young, 2026)
    assert not certificates.under_age_limit(older, 2026)
    older.birth_date = datetime.date(2020, 1, 1)  # born in 2020: counts for 2026
    assert certificates.under_age_limit(older, 2026)
    assert not certificates.under_age_limit(young, 2027)


def test_a_child_6_on_new_years_day_gets_nothing_even_with_care_paid():
    world = cw.build()
    world.young.birth_date = cw.SIX_ON_NEW_YEAR
    world.young.save(update_fields=["birth_date"])
    assert certificates.tax_certificate(world.world.household, 2026).children == []


def test_invoices_count_prorata_of_what_was_paid_in_the_year():
    world = cw.build(pay_invoice=False)
    household, invoice = world.world.household, world.invoice
    # Unpaid: only the prepaid care.
    assert certificates.tax_certificate(household, 2026).total_cents == 500
    # 1 227 of 2 455 paid on 31 December: the young child's care lines are 1 000 of it.
    settling.record_counter_payment(
        invoice,
        amount_cents=1227,
        method="cheque",
        actor=None,
        channel=Channel.BACKOFFICE,
        now=datetime.datetime(2026, 12, 31, 23, 30, tzinfo=PARIS),
    )
    # The rest on 1 January 2027 at 00:30 in Paris (still 2026 in UTC): next year's.
    settling.record_counter_payment(
        invoice,
        amount_cents=1228,
        method="cheque",
        actor=None,
        channel=Channel.BACKOFFICE,
        now=datetime.datetime(2027, 1, 1, 0, 30, tzinfo=PARIS),
    )
    assert certificates.tax_certificate(household, 2026).total_cents == 500 + 1227 * 1000 // 2455
    # 2027's payment is 2027's money (and the child is 6 on 1 January 2027: no care counted).
    paid_2027 = certificates.payment_certificate(household, 2027).items
    assert [(item.method, item.amount_cents) for item in paid_2027] == [("cheque", 1228)]
    assert certificates.tax_certificate(household, 2027).children == []


def test_penalties_and_meals_never_count():
    world = cw.build()
    lines = {line.kind: line.total_cents for line in world.invoice.lines.all()}
    assert lines["surcharge"] == 555 and lines["unused_day"] == 800
    # Everything paid for the young child: 10,00 + 3,70 + 5,00 + 5,00 + 8,00 + 5,55;
    # counted: care only, less what was given back.
    assert certificates.tax_certificate(world.world.household, 2026).total_cents == 1500


def test_the_payment_certificate_counts_money_only():
    world = cw.build()
    result = certificates.payment_certificate(world.world.household, 2026)
    # Both at the same instant: by reference then (the invoice's FA... first).
    assert [(item.kind, item.method, item.amount_cents) for item in result.items] == [
        (certificates.INVOICE, "cash", 1955),
        (certificates.BASKET_COUNTER, "cash", 1370),
    ]
    assert result.items[0].reference == world.invoice.number
    assert result.total_cents == 3325
    assert certificates.payment_certificate(world.world.household, 2025).items == []


def test_a_fixed_number_of_queries():
    world = cw.build()
    with CaptureQueriesContext(connection) as tax:
        certificates.tax_certificate(world.world.household, 2026)
    with CaptureQueriesContext(connection) as paid:
        certificates.payment_certificate(world.world.household, 2026)
    assert len(tax) == 6 and len(paid) == 3
