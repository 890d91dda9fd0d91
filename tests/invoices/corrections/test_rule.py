"""The one rule (billing.invoicing.billed): which marks and bookings are on an invoice."""

import pytest

from portail.billing.invoicing import billed
from portail.billing.models import ChargeKind
from tests.invoices.corrections.setup import billed_october

pytestmark = pytest.mark.django_db


def test_the_rule_names_each_billed_item_and_its_invoice():
    b = billed_october()
    on_invoice = billed.Billed(b.invoice.pk, b.invoice.number, ChargeKind.PRESENCE)
    marks = billed.billed_attendances([b.presence.pk, b.surcharge.pk, b.unused_mark.pk])
    assert marks == {
        b.presence.pk: on_invoice,
        b.surcharge.pk: billed.Billed(b.invoice.pk, b.invoice.number, ChargeKind.SURCHARGE),
    }
    bookings = billed.billed_bookings([b.booked_day.pk, b.unused.pk])
    assert {pk: found.kind for pk, found in bookings.items()} == {
        b.booked_day.pk: ChargeKind.BOOKED_DAY,
        b.unused.pk: ChargeKind.UNUSED_DAY,
    }
    assert billed.billed_on_session(b.lone_day.session_id).number == b.invoice.number
    with pytest.raises(billed.AlreadyInvoiced) as refused:
        billed.check_not_billed(booking_ids=[b.lone_day.pk])
    assert refused.value.code == "already_invoiced"
    assert b.invoice.number in refused.value.message
    assert f"/gestion/factures/{b.invoice.pk}/" in refused.value.message
    billed.check_not_billed(attendance_ids=[b.unused_mark.pk])  # the mark itself: not billed
