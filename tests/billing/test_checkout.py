"""OK and PAYER: credit applied automatically, validation at 0 due, the PayFiP minimum.

Seed figures: 4 meals at 3,70 EUR = 14,80 EUR; cancelling 2 gives 7,40 EUR of credit; the
next 4 days then cost 7,40 EUR to pay.
"""

import pytest
from django.core.exceptions import PermissionDenied

from portail.billing import credits
from portail.billing.checkout import CheckoutRefused, checkout
from portail.billing.models import CreditKind, Payment
from portail.billing.payments import basket_validated
from portail.billing.quote import quote, summarize
from portail.reservations.holds import open_basket
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryEntry,
)
from tests import factories
from tests.factories import paid_booking
from tests.world.booking import all_days, submit
from tests.world.commune import build
from tests.world.days import FRIDAY, MONDAY, NOW, THURSDAY, TUESDAY
from tests.world.money import assert_money_kept

pytestmark = pytest.mark.django_db


def ok(world, **kwargs):
    return checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW, **kwargs)


def refused(world, **kwargs) -> str:
    with pytest.raises(CheckoutRefused) as error:
        ok(world, **kwargs)
    return error.value.code


def test_the_seed_credit_arithmetic_cancelling_two_days_pays_half_of_the_next_four():
    world = build(children=2)
    emy, lise = world.children
    # Paid earlier: Emy's four days (4 x 3,70 = 14,80).
    for _child, session in all_days(world, emy):
        paid_booking(emy, session)
    # Cancelling two of them: a cancellation-only basket, validated at once (OK).
    basket = submit(world, cancel=all_days(world, emy)[2:])
    summary = summarize(basket)
    assert (summary.cancellations_total_cents, summary.amount_due_cents) == (740, 0)
    result = ok(world)
    assert result.status == "validated"
    assert credits.balance_cents(world.household) == 740
    # Lise's four days: 14,80, of which 7,40 comes from the credit.
    basket = submit(world, add=all_days(world, lise))
    summary = summarize(basket)
    assert summary.reservations_total_cents == 1480
    assert summary.credit_available_cents == 740
    assert summary.credit_applied_cents == 740
    assert summary.amount_due_cents == 740


def test_cancellations_in_the_same_basket_pay_for_its_requests():
    world = build(children=2)
    emy, lise = world.children
    for _child, session in all_days(world, emy)[2:]:
        paid_booking(emy, session)
    basket = submit(world, add=all_days(world, lise), cancel=all_days(world, emy)[2:])
    totals = quote(basket)
    assert (
        totals.reservations_total_cents,
        totals.cancellations_total_cents,
        totals.credit_available_cents,
        totals.credit_applied_cents,
        totals.amount_due_cents,
    ) == (1480, 740, 0, 740, 740)
    assert totals.credit_hold_cents == 0  # nothing taken from earlier credit


def test_validating_at_zero_due_confirms_at_once_and_writes_credit_and_history(
    django_capture_on_commit_callbacks,
):
    world = build(children=2)
    emy, lise = world.children
    staff = factories.staff()
    credits.adjust(world.household, 370, reason="Geste commercial", actor=staff)
    cancelled = paid_booking(emy, world.sessions[FRIDAY])
    basket = submit(
        world,
        add=[(lise, world.sessions[MONDAY]), (lise, world.sessions[TUESDAY])],
        cancel=[(emy, world.sessions[FRIDAY])],
    )
    validated = []

    def receiver(basket, settlement, **kwargs):
        validated.append((basket.pk, len(settlement.confirmed)))

    basket_validated.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = ok(world, expected_due_cents=0)
    finally:
        basket_validated.disconnect(receiver)
    assert validated == [(basket.pk, 2)]
    assert result.status == "validated" and result.payment is None
    basket.refresh_from_db()
    assert basket.status == BasketStatus.VALIDATED
    assert (
        list(Booking.objects.filter(child=lise).values_list("status", flat=True))
        == [BookingStatus.RESERVED] * 2
    )
    cancelled.refresh_from_db()
    assert cancelled.status == BookingStatus.CANCELLED
    assert [
        (e.kind, e.amount_cents, e.balance_after_cents) for e in credits.entries(world.household)
    ] == [
        (CreditKind.ADJUSTMENT, 370, 370),
        (CreditKind.CANCELLATION, 370, 740),
        (CreditKind.CHECKOUT, -740, 0),
    ]
    rows = list(
        HistoryEntry.objects.filter(detail__in=["validated", "cancellation_validated"])
        .order_by("pk")
        .values_list("child_id", "action", "detail", "price_cents", "actor_label")
    )
    assert rows == [
        (emy.pk, HistoryAction.REMOVE_RESERVATION, "cancellation_validated", 370, world.user.email),
        (lise.pk, HistoryAction.ADD_RESERVATION, "validated", 370, world.user.email),
        (lise.pk, HistoryAction.ADD_RESERVATION, "validated", 370, world.user.email),
    ]
    assert open_basket(world.household, now=NOW) is None
    assert_money_kept(world.household, before_cents=370)


def test_a_cancellation_only_basket_is_validated_and_becomes_credit():
    world = build()
    booking = paid_booking(world.child, world.sessions[THURSDAY])
    basket = submit(world, cancel=[(world.child, world.sessions[THURSDAY])])
    result = ok(world)
    assert result.status == "validated"
    assert result.settlement.cancellation_credit_cents == 370
    basket.refresh_from_db()
    booking.refresh_from_db()
    assert (basket.status, booking.status) == (BasketStatus.VALIDATED, BookingStatus.CANCELLED)
    assert credits.balance_cents(world.household) == 370
    assert credits.available_cents(world.household) == 370
    # The place is free again.
    assert not Booking.objects.filter(
        session=world.sessions[THURSDAY], status__in=["requested", "reserved"]
    ).exists()


def test_below_the_payfip_minimum_the_basket_cannot_be_paid_online():
    world = build()
    credits.adjust(world.household, 300, reason="Geste", actor=factories.staff())
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert quote(basket).amount_due_cents == 70
    with pytest.raises(CheckoutRefused) as error:
        ok(world)
    assert error.value.code == "below_minimum"
    assert "0,70" in error.value.message and "1,00" in error.value.message
    basket.refresh_from_db()
    assert basket.status == BasketStatus.OPEN
    assert not Payment.objects.exists()
    assert credits.balance_cents(world.household) == 300


def test_a_changed_amount_is_refused_so_the_parent_sees_it_first():
    world = build()
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert refused(world, expected_due_cents=0) == "changed"
    assert Basket.objects.get().status == BasketStatus.OPEN


def test_no_basket_or_an_expired_one():
    world = build()
    assert refused(world) == "no_basket"
    basket = submit(world, add=[(world.child, world.sessions[MONDAY])])
    with pytest.raises(CheckoutRefused) as error:
        checkout(
            world.household,
            actor=world.user,
            channel=Channel.WEB,
            now=basket.expires_at,
        )
    assert error.value.code == "no_basket"
    basket.refresh_from_db()
    assert basket.status == BasketStatus.EXPIRED  # marked on the spot


def test_a_stranger_cannot_check_out_someone_elses_basket():
    world = build()
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    stranger = factories.guardian().user
    with pytest.raises(PermissionDenied):
        checkout(world.household, actor=stranger, channel=Channel.WEB, now=NOW)


def test_no_valid_email_no_online_payment():
    world = build()
    world.user.email = "é@x.fr"  # PayFiP refuses non-ASCII addresses
    world.user.save()
    submit(world, add=[(world.child, world.sessions[MONDAY])])
    assert refused(world) == "no_email"
    assert Basket.objects.get().status == BasketStatus.OPEN


def test_a_booking_cancelled_meanwhile_gives_no_second_credit():
    world = build()
    booking = paid_booking(world.child, world.sessions[FRIDAY])
    basket = submit(world, cancel=[(world.child, world.sessions[FRIDAY])])
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    assert quote(basket).cancellations_total_cents == 0
    result = ok(world)
    assert result.status == "validated"
    assert credits.balance_cents(world.household) == 0
