"""Each item billed once: overlapping runs, a run again, a late attendance picked up by
the next run; the preview writes nothing; bad periods refused; the QF of the day."""

import datetime

import pytest

from portail.billing.invoicing import runs
from portail.billing.models import (
    BillingRun,
    Invoice,
    InvoiceAction,
    InvoiceEvent,
    InvoiceLine,
    NumberSequence,
)
from tests import factories
from tests.world import invoices as w

pytestmark = pytest.mark.django_db


def test_overlapping_runs_bill_each_item_once():
    world = w.build()
    w.presence(world, world.child, w.MON)
    w.presence(world, world.child, w.FRI)
    first = w.issue(datetime.date(2026, 10, 1), datetime.date(2026, 10, 6))
    second = w.issue(datetime.date(2026, 10, 5), datetime.date(2026, 10, 31))
    again = w.issue()
    assert (first.invoice_count, first.total_cents) == (1, 100)
    assert (second.invoice_count, second.total_cents) == (1, 100)
    assert (again.invoice_count, again.total_cents) == (0, 0)
    assert InvoiceLine.objects.count() == 2
    assert sorted(Invoice.objects.values_list("seq", flat=True)) == [1, 2]


def test_a_late_attendance_is_picked_up_by_the_next_run():
    world = w.build()
    w.presence(world, world.child, w.MON)
    first = w.issue()
    late = w.presence(world, world.child, w.TUE)  # marked after the first run
    second = w.issue()
    assert first.total_cents == 100
    assert [line.attendance_id for line in Invoice.objects.get(run=second).lines.all()] == [late.pk]


def test_preview_shows_what_issue_writes_and_writes_nothing():
    world = w.build()
    w.presence(world, world.child, w.MON)
    w.booked(world, world.children[1], w.TUE)
    preview = runs.preview(*w.OCTOBER, now=w.NOW)
    assert not BillingRun.objects.exists() and not NumberSequence.objects.exists()
    (bill,) = preview.households
    assert bill.household_id == world.household.pk
    assert bill.total_cents == 900 and preview.total_cents == 900
    assert [(c.child, c.day, c.activity, c.unit_price_cents) for c in bill.charges] == sorted(
        [
            (str(world.child), w.MON, "ALAE soir", 100),
            (str(world.children[1]), w.TUE, "Centre de loisirs", 800),
        ]
    )
    assert all(c.price_rule for c in bill.charges)
    run = w.issue()
    assert run.total_cents == preview.total_cents
    assert run.invoice_count == preview.invoice_count
    assert runs.preview(*w.OCTOBER, now=w.NOW).households == []


def test_issued_invoices_write_their_history():
    world = w.build()
    w.presence(world, world.child, w.MON)
    user = factories.staff()
    invoice = w.issued_invoice(world, actor=user)
    (event,) = InvoiceEvent.objects.filter(invoice=invoice)
    assert (event.action, event.amount_cents, event.actor, event.channel) == (
        InvoiceAction.ISSUED,
        100,
        user,
        "backoffice",
    )


def test_the_price_is_the_qf_of_the_day():
    # The QF (0-600 band) ends on Tuesday: from Thursday on, unknown, the highest band.
    world = w.build(qf=500, qf_valid_to=w.TUE)
    w.presence(world, world.child, w.MON)
    w.presence(world, world.child, w.THU)
    invoice = w.issued_invoice(world)
    assert [(line.session.date, line.total_cents) for line in invoice.lines.all()] == [
        (w.MON, 100),
        (w.THU, 350),
    ]


def test_a_presence_without_tariff_is_reported_and_left_for_later():
    world = w.build()
    world.alae.tariffs.all().delete()
    mark = w.presence(world, world.child, w.MON)
    preview = runs.preview(*w.OCTOBER, now=w.NOW)
    assert preview.households == []
    assert [(u.household_id, u.day) for u in preview.unpriced] == [(world.household.pk, w.MON)]
    w.issue()
    assert not InvoiceLine.objects.filter(attendance=mark).exists()


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (datetime.date(2026, 10, 31), datetime.date(2026, 10, 1), "period_order"),
        (datetime.date(2025, 10, 1), datetime.date(2026, 10, 31), "period_too_long"),
        (datetime.date(1999, 12, 1), datetime.date(1999, 12, 31), "period_out_of_range"),
        (datetime.date(2100, 1, 1), datetime.date(2100, 1, 31), "period_out_of_range"),
    ],
)
def test_bad_periods_are_refused_and_write_nothing(start, end, code):
    with pytest.raises(runs.RunRefused) as refused:
        w.issue(start, end)
    assert refused.value.code == code and refused.value.message
    with pytest.raises(runs.RunRefused):
        runs.preview(start, end, now=w.NOW)
    assert not BillingRun.objects.exists()


def test_a_period_not_started_is_refused():
    for start in (w.NOW.date(), datetime.date(2026, 12, 1)):
        with pytest.raises(runs.RunRefused) as refused:
            w.issue(start, datetime.date(2026, 12, 31))
        assert refused.value.code == "period_not_started"
    assert not BillingRun.objects.exists()


def test_a_full_year_is_accepted():
    runs.preview(datetime.date(2025, 11, 1), datetime.date(2026, 10, 31), now=w.NOW)


def test_numbers_follow_on_in_the_year_across_batches(monkeypatch):
    world = w.build()
    w.presence(world, world.child, w.MON)
    for _ in range(4):
        _household, kid = w.another_household(world)
        w.presence(world, kid, w.MON)
    monkeypatch.setattr(runs, "BATCH", 2)
    run = w.issue()
    assert run.invoice_count == 5 and run.total_cents == 500
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        f"FA2026-{n:06d}" for n in range(1, 6)
    ]
