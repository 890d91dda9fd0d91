"""The payments page lists the money received at the counter beside the PayFiP payments:
for baskets and for invoices, over the period chosen (this month by default)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portail.billing.invoicing.settling import record_counter_payment
from portail.billing.models import CounterPayment
from portail.reservations.models import Basket, BasketStatus, Channel
from tests.world import invoices as w
from tests.world.staff import client_for, gestionnaire
from tests.world.web import text_of

pytestmark = pytest.mark.django_db


def basket_at_counter(household, reference, *, at, amount=740):
    basket = Basket.objects.create(household=household, reference=reference, status="paid")
    return CounterPayment.objects.create(
        household=household,
        basket=basket,
        means="cheque",
        reference="CHQ 1234567",
        amount_cents=amount,
        reservations_cents=amount,
        cancellations_cents=0,
        credit_applied_cents=0,
        actor=None,
        actor_label="",
        created_at=at,
    )


def test_counter_payments_of_baskets_and_invoices_are_listed_beside_payfip():
    world, invoice = w.invoice_world()
    staff = gestionnaire()
    now = timezone.now()
    basket_at_counter(world.household, "PF2026000042", at=now)
    record_counter_payment(
        invoice,
        amount_cents=1000,
        method="cash",
        reference="Reçu 17",
        actor=staff,
        channel=Channel.BACKOFFICE,
        now=now,
    )
    old = now - datetime.timedelta(days=70)
    basket_at_counter(world.household, "PF2026000001", at=old, amount=370)
    text = text_of(client_for(staff, "en").get(reverse("backoffice:payments")).content.decode())
    assert "Payments at the counter" in text
    assert "2 payments at the counter" in text
    assert "PF2026000042" in text and "CHQ 1234567" in text and "€7.40" in text
    assert invoice.number in text and "Reçu 17" in text and "€10.00" in text
    assert "PF2026000001" not in text  # not in this month


def test_the_period_chosen_applies_to_the_counter_list():
    world, _invoice = w.invoice_world()
    staff = gestionnaire()
    old = timezone.now() - datetime.timedelta(days=70)
    basket_at_counter(world.household, "PF2026000001", at=old, amount=370)
    day = timezone.localtime(old).date()
    response = client_for(staff, "fr").get(
        reverse("backoffice:payments"), {"start": day.isoformat(), "end": day.isoformat()}
    )
    text = text_of(response.content.decode())
    assert "Paiements au guichet" in text and "PF2026000001" in text
    assert Basket.objects.filter(status=BasketStatus.PAID).count() == 1
