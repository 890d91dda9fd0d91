"""A basket's cancellation lines are applied only when the basket itself is settled in
time: a basket that expires (or whose payment arrives after it expired) withdraws them,
the booking stays reserved and gives no credit.

PayFiP's creerPaiementSecurise is the billing tests' stand-in (`payfip`); PayFiP's later
answers are applied with the real service, as `portail check_payments` does.
"""

import pytest

from portail.billing import credits
from portail.billing.checkout import NO_BASKET, CheckoutRefused, checkout
from portail.billing.models import CreditKind, PaymentState
from portail.billing.payments import apply_detail, apply_error
from portail.payfip.errors import PayfipError
from portail.reservations.holds import expire_baskets
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
)
from tests.billing.test_payments import payfip  # noqa: F401 (the fixture)
from tests.factories import paid_booking
from tests.world.booking import submit
from tests.world.commune import build
from tests.world.days import FRIDAY, MINUTE, MONDAY, NOW, TUESDAY
from tests.world.money import assert_money_kept, detail

pytestmark = pytest.mark.django_db(transaction=True)


def cancelled_credit_cents(household) -> int:
    return sum(
        e.amount_cents for e in credits.entries(household) if e.kind == CreditKind.CANCELLATION
    )


def test_an_expired_basket_of_cancellations_leaves_the_days_reserved():
    world = build(children=2)
    emy, lise = world.children
    bookings = [
        paid_booking(emy, world.sessions[FRIDAY]),
        paid_booking(lise, world.sessions[FRIDAY]),
    ]
    basket = submit(world, cancel=[(emy, world.sessions[FRIDAY]), (lise, world.sessions[FRIDAY])])
    assert basket.lines.count() == 2
    # Nothing to pay (OK), but the parent never clicks it: the hold ends.
    later = NOW + 31 * MINUTE
    with pytest.raises(CheckoutRefused) as refused:
        checkout(world.household, actor=world.user, channel=Channel.WEB, now=later)
    assert refused.value.code == NO_BASKET
    assert expire_baskets(now=later) == 0  # already marked by the checkout
    assert Basket.objects.get(pk=basket.pk).status == BasketStatus.EXPIRED
    assert [Booking.objects.get(pk=b.pk).status for b in bookings] == [BookingStatus.RESERVED] * 2
    assert credits.balance_cents(world.household) == 0
    assert not HistoryEntry.objects.filter(detail=HistoryDetail.CANCELLATION_VALIDATED).exists()


@pytest.mark.parametrize("marked_by_the_command", [True, False])
def test_a_payment_arriving_after_expiry_does_not_apply_the_cancellations(
    payfip,  # noqa: F811 (the fixture)
    marked_by_the_command,
):
    world = build(children=2)
    emy, lise = world.children
    lise_friday = paid_booking(lise, world.sessions[FRIDAY])
    # Emy on Monday and Tuesday (7,40), Lise's Friday cancelled (3,70 of credit): 3,70 due.
    basket = submit(
        world,
        add=[(emy, world.sessions[MONDAY]), (emy, world.sessions[TUESDAY])],
        cancel=[(lise, world.sessions[FRIDAY])],
    )
    result = checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    payment = result.payment
    assert (result.status, payment.amount_cents, payment.credit_applied_cents) == (
        "awaiting_payment",
        370,
        370,
    )
    # PayFiP says nothing for an hour: the payment expires, the basket reopens, then lapses.
    apply_error(payment, PayfipError("P5"), now=NOW + 60 * MINUTE)
    payment.refresh_from_db()
    assert payment.state == PaymentState.EXPIRED
    if marked_by_the_command:
        assert expire_baskets(now=NOW + 2 * 60 * MINUTE) == 1
    # Then PayFiP reports the payment paid after all (the basket is found expired, or
    # marked so on the spot).
    apply_detail(payment, detail(payment, "P"), now=NOW + 3 * 60 * MINUTE)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert Basket.objects.get(pk=basket.pk).status == BasketStatus.PAID
    # Lise's Friday stands: the cancellation was withdrawn when the basket expired.
    assert Booking.objects.get(pk=lise_friday.pk).status == BookingStatus.RESERVED
    assert cancelled_credit_cents(world.household) == 0
    assert not HistoryEntry.objects.filter(
        child=lise,
        action=HistoryAction.REMOVE_RESERVATION,
        detail=HistoryDetail.CANCELLATION_VALIDATED,
    ).exists()
    # The money (3,70) buys Emy's Monday only: the credit of the cancellation was never given.
    monday, tuesday = (
        Booking.objects.get(child=emy, session=world.sessions[day]) for day in (MONDAY, TUESDAY)
    )
    assert (monday.status, tuesday.status) == (BookingStatus.RESERVED, BookingStatus.RELEASED)
    assert credits.balance_cents(world.household) == 0
    assert_money_kept(world.household, before_cents=lise_friday.price_cents)
