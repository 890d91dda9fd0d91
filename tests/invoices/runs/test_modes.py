"""What a billing run bills, mode by mode: presences on attendance, booked days, unused
days, never a justified absence, a closed day, a cancelled or a prepaid booking."""

import pytest

from portail.activities.models import Activity, BillingMode
from portail.billing.models import ChargeKind, Invoice, InvoiceLine
from portail.reservations.models import BookingStatus
from tests.world import invoices as w

pytestmark = pytest.mark.django_db


def lines_of(invoice: Invoice) -> list[tuple[str, str, int]]:
    return [
        (line.kind, line.charge_key, line.total_cents)
        for line in invoice.lines.order_by("session__date", "pk")
    ]


def test_presences_on_attendance_are_billed_at_the_qf_price():
    world = w.build(qf=500)
    first = w.presence(world, world.child, w.MON)
    second = w.presence(world, world.child, w.TUE)
    w.mark(world, world.child, world.alae, w.THU, present=False)  # absent: nothing
    invoice = w.issued_invoice(world)
    assert lines_of(invoice) == [
        (ChargeKind.PRESENCE, f"attendance:{first.pk}", 100),
        (ChargeKind.PRESENCE, f"attendance:{second.pk}", 100),
    ]
    assert invoice.total_cents == 200
    line = invoice.lines.first()
    assert "QF 0–600" in line.price_rule
    assert line.unit_price_cents == 100 and line.quantity == 1


def test_unknown_qf_pays_the_highest_band():
    world = w.build(qf=None)
    w.presence(world, world.child, w.MON)
    invoice = w.issued_invoice(world)
    assert invoice.total_cents == 350
    assert "1201–∞" in invoice.lines.get().price_rule


def test_booked_days_are_billed_at_the_price_when_booked():
    world = w.build()
    on_time = w.booked(world, world.child, w.MON, price=800)
    late = w.booked(world, world.child, w.TUE, price=1000, late=True)
    w.mark(world, world.child, world.leisure, w.TUE, present=True)
    invoice = w.issued_invoice(world)
    assert lines_of(invoice) == [
        (ChargeKind.BOOKED_DAY, f"booking:{on_time.pk}", 800),
        (ChargeKind.BOOKED_DAY, f"booking:{late.pk}", 1000),
    ]
    rules = {line.booking_id: line.price_rule for line in invoice.lines.all()}
    assert rules[late.pk] != rules[on_time.pk]  # the late price says so


@pytest.mark.parametrize("bill_unused_days", [True, False])
def test_a_booked_day_not_used_is_billed_only_if_the_activity_says_so(bill_unused_days):
    world = w.build(bill_unused_days=bill_unused_days)
    unused = w.booked(world, world.child, w.MON)
    w.mark(world, world.child, world.leisure, w.MON, present=False)
    w.presence(world, world.child, w.MON)  # something else, so the household has an invoice
    invoice = w.issued_invoice(world)
    billed = InvoiceLine.objects.filter(booking=unused)
    if bill_unused_days:
        assert [(b.kind, b.total_cents) for b in billed] == [(ChargeKind.UNUSED_DAY, 800)]
        assert invoice.total_cents == 900
    else:
        assert not billed.exists()
        assert invoice.total_cents == 100


def test_a_justified_absence_is_not_billed():
    world = w.build(bill_unused_days=True)
    booking = w.booked(world, world.child, w.MON)
    w.mark(world, world.child, world.leisure, w.MON, present=False, justified=True)
    w.presence(world, world.child, w.TUE)
    invoice = w.issued_invoice(world)
    assert not InvoiceLine.objects.filter(booking=booking).exists()
    assert invoice.total_cents == 100


def test_a_closed_day_is_not_billed():
    world = w.build()
    w.booked(world, world.child, w.MON)
    closed = world.session(world.leisure, w.MON)
    closed.is_open, closed.closed_reason = False, "Grève"
    closed.save()
    w.booked(world, world.child, w.TUE)
    invoice = w.issued_invoice(world)
    assert [line.session.date for line in invoice.lines.all()] == [w.TUE]


def test_cancelled_and_released_bookings_are_not_billed():
    world = w.build()
    w.booked(world, world.child, w.MON)
    cancelled = w.booked(world, world.child, w.TUE)
    cancelled.status = BookingStatus.CANCELLED
    cancelled.save()
    released = w.booked(world, world.children[1], w.TUE)
    released.status = BookingStatus.RELEASED
    released.save()
    invoice = w.issued_invoice(world)
    assert [line.session.date for line in invoice.lines.all()] == [w.MON]


def test_prepaid_bookings_are_never_billed():
    world = w.build()
    w.booked(world, world.child, w.MON, activity=world.canteen, price=370)
    w.mark(world, world.child, world.canteen, w.MON, present=False)
    run = w.issue()
    assert run.invoice_count == 0
    assert not Invoice.objects.exists()


def test_a_booking_is_billed_by_how_it_was_made_not_by_the_activitys_mode_now():
    world = w.build()
    paid = w.booked(world, world.child, w.MON, activity=world.canteen, price=370)
    to_invoice = w.booked(world, world.child, w.TUE, price=800)
    assert (paid.invoiced, to_invoice.invoiced) == (False, True)
    # The canteen becomes invoiced on booking and the leisure centre prepaid, afterwards.
    Activity.objects.filter(pk=world.canteen.pk).update(billing_mode=BillingMode.ON_BOOKING)
    Activity.objects.filter(pk=world.leisure.pk).update(billing_mode=BillingMode.PREPAID)
    invoice = w.issued_invoice(world)
    assert lines_of(invoice) == [(ChargeKind.BOOKED_DAY, f"booking:{to_invoice.pk}", 800)]


def test_the_surcharge_of_a_child_present_without_booking_is_billed():
    world = w.build()
    mark = w.surcharge(world, world.child, world.canteen, w.MON, cents=555)
    invoice = w.issued_invoice(world)
    assert lines_of(invoice) == [(ChargeKind.SURCHARGE, f"surcharge:{mark.pk}", 555)]


def test_days_from_the_issue_day_on_are_left_for_a_later_run():
    world = w.build()
    w.presence(world, world.child, w.MON)
    today = w.presence(world, world.child, w.NOW.date())
    invoice = w.issued_invoice(world, end=w.NOW.date())
    assert invoice.total_cents == 100
    assert not InvoiceLine.objects.filter(attendance=today).exists()


def test_no_invoice_for_a_household_owing_nothing():
    world = w.build()
    other, kid = w.another_household(world)
    w.presence(world, kid, w.MON)
    # A zero-priced booked day: no line, no invoice.
    w.booked(world, world.child, w.MON, price=0)
    run = w.issue()
    assert list(run.invoices.values_list("household", flat=True)) == [other.pk]
    assert run.invoice_count == 1 and run.total_cents == 100


def test_one_invoice_per_household_with_lines_per_child():
    world = w.build()
    a, b = world.children
    w.presence(world, a, w.MON)
    w.presence(world, b, w.MON)
    w.booked(world, b, w.TUE)
    invoice = w.issued_invoice(world)
    assert sorted(invoice.lines.values_list("child_id", flat=True)) == sorted([a.pk, b.pk, b.pk])
    assert invoice.total_cents == 100 + 100 + 800
    assert invoice.status == "unpaid"
    assert invoice.issued_on == w.NOW.date()
    assert (invoice.due_on - invoice.issued_on).days == 30
    assert invoice.number == f"FA2026-{invoice.seq:06d}"
