"""The payment's state machine, fed with PayFiP answers built here (the input).

PayFiP's creerPaiementSecurise is replaced by a stand-in that hands out idOps (the live
tests in test_live_payfip.py use the simulator over HTTP); everything after it is the
real service on the real database. The tests commit for real (transaction=True), so that
what runs "on commit" (the payment_confirmed signal, the messages) runs as in production.
"""

import datetime
import logging
import uuid

import pytest

from portail.activities.calendar import close_sessions
from portail.billing import credits, payments
from portail.billing.checkout import CheckoutRefused, checkout
from portail.billing.closures import credit_closed_bookings
from portail.billing.models import CreditKind, Payment, PaymentState
from portail.billing.payments import apply_detail, apply_error, check_pending_payments
from portail.families.models import Document
from portail.payfip import client
from portail.payfip.errors import PayfipError
from portail.reservations.basket import submit_changes
from portail.reservations.holds import expire_baskets, open_basket
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryEntry,
)
from portail.reservations.occupancy import taken_places
from tests import factories
from tests.factories import paid_booking
from tests.world.booking import all_days, submit
from tests.world.commune import build, family
from tests.world.days import FRIDAY, MINUTE, MONDAY, NOW, THURSDAY, TUESDAY
from tests.world.money import assert_money_kept, detail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def payfip(monkeypatch, settings):
    """creerPaiementSecurise answers with a fresh idOp; the calls are recorded."""
    settings.PORTAIL_BASE_URL = "https://portail.example.org"
    settings.PAYFIP_NUMCLI = "012345"
    calls = []

    def create_payment(request, *, urlnotif, urlredirect, numcli=None, saisie=None):
        calls.append((request, urlnotif, urlredirect, numcli))
        return str(uuid.uuid4())

    monkeypatch.setattr(client, "create_payment", create_payment)
    return calls


@pytest.fixture
def confirmed():
    """The payment_confirmed signals sent, in order."""
    sent = []

    def receiver(payment, settlement, **kwargs):
        sent.append(payment.pk)

    payments.payment_confirmed.connect(receiver)
    yield sent
    payments.payment_confirmed.disconnect(receiver)


def pay(world, now=NOW, **kwargs) -> Payment:
    result = checkout(world.household, actor=world.user, channel=Channel.WEB, now=now, **kwargs)
    assert result.status == "awaiting_payment"
    return result.payment


def state(payment) -> str:
    return Payment.objects.get(pk=payment.pk).state


def basket_status(payment) -> str:
    return Basket.objects.get(pk=payment.basket_id).status


def test_payer_creates_a_pending_payment_and_the_places_stay_held(payfip):
    world = build(capacity=1)
    basket = submit(world, add=all_days(world))
    result = checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    payment = result.payment
    assert result.status == "awaiting_payment"
    assert result.payment_url.endswith(f"?idop={payment.idop}")
    assert (payment.refdet, payment.amount_cents, payment.state) == (
        f"{basket.reference}P1",
        1480,
        PaymentState.PENDING,
    )
    assert (payment.mel, payment.numcli, payment.exer) == (world.user.email, "012345", 2026)
    [(request, urlnotif, urlredirect, numcli)] = payfip
    assert (request.montant_cents, request.refdet, request.mel) == (
        1480,
        payment.refdet,
        payment.mel,
    )
    assert urlnotif == "https://portail.example.org/paiement/notification/"
    assert urlredirect == "https://portail.example.org/paiement/retour/"
    assert numcli == "012345"
    basket.refresh_from_db()
    assert basket.status == BasketStatus.AWAITING_PAYMENT
    # Long after the open hold, the places are still held and the basket does not expire.
    later = NOW + datetime.timedelta(hours=5)
    assert expire_baskets(now=later) == 0
    ids = [s.pk for s in world.sessions.values()]
    assert taken_places(ids, now=later) == dict.fromkeys(ids, 1)
    assert open_basket(world.household, now=later) is None


def test_available_credit_is_the_balance_minus_what_pending_payments_hold(payfip):
    world = build()
    staff = factories.staff()
    credits.adjust(world.household, 500, reason="Geste", actor=staff)
    submit(world, add=all_days(world))
    payment = pay(world)
    assert payment.credit_hold_cents == 500  # the whole credit, kept for this payment
    assert credits.available_cents(world.household) == 0
    # Credit given while the payment is pending is available at once; the hold stays.
    credits.adjust(world.household, 300, reason="Geste", actor=staff)
    assert credits.balance_cents(world.household) == 800
    assert credits.held_cents(world.household) == 500
    assert credits.available_cents(world.household) == 300


def test_paid_confirms_the_bookings_uses_the_credit_and_sends_the_signal(payfip, confirmed):
    world = build()
    credits.adjust(world.household, 740, reason="Geste", actor=factories.staff())
    submit(world, add=all_days(world))
    payment = pay(world)
    assert payment.amount_cents == 740 and payment.credit_hold_cents == 740
    # While it is pending, the credit it applies is not available to another basket.
    assert credits.available_cents(world.household) == 0
    assert credits.balance_cents(world.household) == 740
    apply_detail(payment, detail(payment, "P"), now=NOW + MINUTE)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    assert (payment.resultrans, payment.numauto) == ("P", "123456")
    assert payment.paid_at == NOW.replace(minute=5)
    assert basket_status(payment) == BasketStatus.PAID
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.RESERVED}
    assert credits.balance_cents(world.household) == 0
    assert confirmed == [payment.pk]
    rows = HistoryEntry.objects.filter(detail="paid")
    assert rows.count() == 4
    assert {r.actor_label for r in rows} == {world.user.email}
    assert_money_kept(world.household)


def test_direct_debit_v_is_paid_too(payfip, confirmed):
    world = build()
    submit(world, add=all_days(world)[:1])
    payment = pay(world)
    apply_detail(payment, detail(payment, "V"), now=NOW + MINUTE)
    assert state(payment) == PaymentState.PAID
    assert confirmed == [payment.pk]


def test_duplicate_notifications_confirm_exactly_once(payfip, confirmed):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    for minute in range(1, 5):
        apply_detail(payment, detail(payment, "P"), now=NOW + minute * MINUTE)
    # A late "A" or "R" after "P" changes nothing either: paid is final.
    apply_detail(payment, detail(payment, "R"), now=NOW + 10 * MINUTE)
    assert state(payment) == PaymentState.PAID
    assert confirmed == [payment.pk]
    assert HistoryEntry.objects.filter(detail="paid").count() == 4
    assert credits.entries(world.household) == []  # paid in full: no credit movement
    assert Booking.objects.filter(status=BookingStatus.RESERVED).count() == 4


@pytest.mark.parametrize(
    "change",
    [
        {"montant_cents": 100},
        {"refdet": "PF2026999999P1"},
        {"numcli": "999999"},
    ],
    ids=["montant", "refdet", "numcli"],
)
def test_an_answer_that_does_not_match_is_never_confirmed(payfip, confirmed, caplog, change):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    with caplog.at_level(logging.ERROR, logger="portail.billing"):
        apply_detail(payment, detail(payment, "P", **change), now=NOW + MINUTE)
    payment.refresh_from_db()
    assert payment.state == PaymentState.MISMATCH
    assert payment.detail["resultrans"] == "P"  # what PayFiP said is kept for the staff
    assert confirmed == []
    assert not Booking.objects.filter(status=BookingStatus.RESERVED).exists()
    assert credits.entries(world.household) == []
    assert any("does not match" in r.getMessage() for r in caplog.records)
    # The parent may pay again; the mismatched payment stays for the staff, final.
    assert basket_status(payment) == BasketStatus.OPEN
    apply_detail(payment, detail(payment, "P"), now=NOW + 2 * MINUTE)
    assert state(payment) == PaymentState.MISMATCH
    assert confirmed == []


def test_refused_then_paid_on_the_second_attempt(payfip, confirmed):
    world = build()
    basket = submit(world, add=all_days(world))
    first = pay(world)
    later = NOW + 3 * MINUTE
    apply_detail(first, detail(first, "R", numauto=""), now=later)
    assert state(first) == PaymentState.REFUSED
    basket.refresh_from_db()
    assert basket.status == BasketStatus.OPEN
    assert basket.expires_at == later + datetime.timedelta(minutes=30)  # a new hold
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.REQUESTED}
    second = pay(world, now=later + MINUTE)
    assert (second.attempt, second.refdet) == (2, f"{basket.reference}P2")
    apply_detail(second, detail(second, "P"), now=later + 2 * MINUTE)
    assert state(second) == PaymentState.PAID
    assert confirmed == [second.pk]
    assert_money_kept(world.household)


def test_refused_direct_debit_z_reopens_too(payfip):
    world = build()
    submit(world, add=all_days(world)[:1])
    payment = pay(world)
    apply_detail(payment, detail(payment, "Z", numauto=""), now=NOW + MINUTE)
    assert state(payment) == PaymentState.REFUSED
    assert basket_status(payment) == BasketStatus.OPEN


def test_abandoned_stays_pending_during_the_grace_then_reopens(payfip, settings):
    settings.PAYFIP_ABANDON_GRACE_MINUTES = 5
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    apply_detail(payment, detail(payment, "A", numauto=""), now=NOW + MINUTE)
    assert state(payment) == PaymentState.PENDING
    assert basket_status(payment) == BasketStatus.AWAITING_PAYMENT
    apply_detail(payment, detail(payment, "A", numauto=""), now=NOW + 5 * MINUTE)
    assert state(payment) == PaymentState.PENDING
    apply_detail(payment, detail(payment, "A", numauto=""), now=NOW + 6 * MINUTE)
    assert state(payment) == PaymentState.ABANDONED
    assert basket_status(payment) == BasketStatus.OPEN


def test_abandoned_within_the_grace_then_paid_is_paid(payfip, confirmed):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    apply_detail(payment, detail(payment, "A", numauto=""), now=NOW + MINUTE)
    apply_detail(payment, detail(payment, "P"), now=NOW + 2 * MINUTE)
    assert state(payment) == PaymentState.PAID
    assert confirmed == [payment.pk]


def test_p5_is_still_pending_until_the_longest_wait(payfip, settings):
    settings.PAYFIP_PENDING_MAX_MINUTES = 60
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    apply_error(payment, PayfipError("P5"), now=NOW + 20 * MINUTE)
    payment.refresh_from_db()
    assert (payment.state, payment.error_code) == (PaymentState.PENDING, "P5")
    assert basket_status(payment) == BasketStatus.AWAITING_PAYMENT
    apply_error(payment, PayfipError("P5"), now=NOW + 60 * MINUTE)
    assert state(payment) == PaymentState.EXPIRED
    assert basket_status(payment) == BasketStatus.OPEN


def test_p1_is_pending_during_the_page_life_then_expired(payfip):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    apply_error(payment, PayfipError("P1"), now=NOW + 14 * MINUTE)
    assert state(payment) == PaymentState.PENDING
    apply_error(payment, PayfipError("P1"), now=NOW + 15 * MINUTE)
    assert state(payment) == PaymentState.EXPIRED
    assert basket_status(payment) == BasketStatus.OPEN


def test_payfip_unreachable_while_checking_keeps_the_payment_pending(payfip):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    apply_error(payment, PayfipError("unavailable"), now=NOW + 30 * MINUTE)
    assert state(payment) == PaymentState.PENDING


def test_a_payment_after_expiry_confirms_what_is_free_and_credits_the_rest(
    payfip, confirmed, caplog
):
    world = build(capacity=1)
    basket = submit(world, add=all_days(world)[:2])  # Monday and Tuesday, 7,40
    payment = pay(world)
    # PayFiP says nothing for an hour: the payment expires, the basket reopens, then lapses.
    apply_error(payment, PayfipError("P5"), now=NOW + 60 * MINUTE)
    assert state(payment) == PaymentState.EXPIRED
    assert expire_baskets(now=NOW + 2 * 60 * MINUTE) == 1
    basket.refresh_from_db()
    assert basket.status == BasketStatus.EXPIRED
    # Another family takes Monday's last place.
    other, other_user, (other_child,) = family(world.activity)
    submit_changes(
        other,
        add=[Change(other_child.pk, world.sessions[MONDAY].pk)],
        cancel=[],
        actor=other_user,
        channel=Channel.WEB,
        now=NOW + 3 * 60 * MINUTE,
    )
    # Then, while that family's hold runs, PayFiP reports the payment paid after all.
    with caplog.at_level(logging.WARNING, logger="portail.billing"):
        apply_detail(payment, detail(payment, "P"), now=NOW + 190 * MINUTE)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    monday, tuesday = (
        Booking.objects.get(child=world.child, session=world.sessions[day], basket=basket)
        for day in (MONDAY, TUESDAY)
    )
    assert (monday.status, tuesday.status) == (BookingStatus.RELEASED, BookingStatus.RESERVED)
    assert [(e.kind, e.amount_cents) for e in credits.entries(world.household)] == [
        (CreditKind.PAYMENT_SURPLUS, 370)
    ]
    assert confirmed == [payment.pk]
    # The family is told (an e-mail kept in "Mes documents"), and the staff.
    message = Document.objects.get(household=world.household, kind=Document.Kind.MESSAGE)
    assert payment.refdet in message.title
    assert "3,70" in message.body
    assert any("arrived after its basket" in r.getMessage() for r in caplog.records)
    # Never more bookings than places.
    assert taken_places([world.sessions[MONDAY].pk], now=NOW + 3 * 60 * MINUTE + 11 * MINUTE) == {
        world.sessions[MONDAY].pk: 1
    }
    assert_money_kept(world.household)


def test_a_second_payment_of_a_basket_already_paid_becomes_credit(payfip, confirmed):
    world = build()
    submit(world, add=all_days(world)[:1])
    first = pay(world)
    apply_error(first, PayfipError("P1"), now=NOW + 16 * MINUTE)
    assert state(first) == PaymentState.EXPIRED
    second = pay(world, now=NOW + 17 * MINUTE)
    apply_detail(second, detail(second, "P"), now=NOW + 18 * MINUTE)
    # The first attempt was paid too (the parent had two tabs open).
    apply_detail(first, detail(first, "P"), now=NOW + 19 * MINUTE)
    assert (state(first), state(second)) == (PaymentState.PAID, PaymentState.PAID)
    assert credits.balance_cents(world.household) == 370
    assert Booking.objects.filter(status=BookingStatus.RESERVED).count() == 1
    assert confirmed == [second.pk, first.pk]
    assert_money_kept(world.household)


def test_a_day_closed_while_paying_becomes_credit(payfip, confirmed):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    close_sessions([world.sessions[FRIDAY]], "Grève")
    apply_detail(payment, detail(payment, "P"), now=NOW + MINUTE)
    friday = Booking.objects.get(session=world.sessions[FRIDAY])
    assert friday.status == BookingStatus.RELEASED
    assert Booking.objects.filter(status=BookingStatus.RESERVED).count() == 3
    assert credits.balance_cents(world.household) == 370
    assert_money_kept(world.household)


def test_closing_a_day_credits_its_paid_bookings():
    world = build(children=2)
    emy, lise = world.children
    paid = [paid_booking(child, world.sessions[THURSDAY]) for child in (emy, lise)]
    close_sessions([world.sessions[THURSDAY]], "Sortie scolaire")
    assert {b.status for b in Booking.objects.filter(pk__in=[b.pk for b in paid])} == {
        BookingStatus.CANCELLED
    }
    entries = credits.entries(world.household)
    assert [(e.kind, e.amount_cents, e.reason) for e in entries] == [
        (CreditKind.CLOSURE, 370, "Sortie scolaire")
    ] * 2
    assert HistoryEntry.objects.filter(detail="session_closed").count() == 2
    # Idempotent: running it again credits nothing more.
    assert credit_closed_bookings([world.sessions[THURSDAY].pk]) == 0
    assert credits.balance_cents(world.household) == 740


def test_payfip_down_at_payer_keeps_the_basket_open(settings):
    # A real connection to a closed port: PayFiP unreachable.
    settings.PAYFIP_WS_URL = "http://127.0.0.1:9/tpa/services/securite"
    settings.PAYFIP_NUMCLI = "012345"
    settings.PAYFIP_TIMEOUT_SECONDS = 2
    world = build()
    basket = submit(world, add=all_days(world))
    with pytest.raises(CheckoutRefused) as error:
        checkout(world.household, actor=world.user, channel=Channel.WEB, now=NOW)
    assert error.value.code == "payfip_unavailable"
    payment = Payment.objects.get()
    assert (payment.state, payment.error_code) == (PaymentState.FAILED, "unavailable")
    basket.refresh_from_db()
    assert basket.status == BasketStatus.OPEN
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.REQUESTED}


def test_unknown_or_malformed_idops_change_nothing(payfip):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    assert payments.refresh_payment(str(uuid.uuid4()), source="notification") is None
    assert payments.refresh_payment("<script>", source="return") is None
    assert payments.refresh_payment("", source="return") is None
    assert state(payment) == PaymentState.PENDING


def test_an_interrupted_creation_fails_and_the_basket_reopens(payfip):
    world = build()
    submit(world, add=all_days(world))
    payment = pay(world)
    Payment.objects.filter(pk=payment.pk).update(idop="")  # as if the process had died
    assert check_pending_payments(now=NOW + 4 * MINUTE) == 0
    assert check_pending_payments(now=NOW + 5 * MINUTE) == 1
    assert state(payment) == PaymentState.FAILED
    assert basket_status(payment) == BasketStatus.OPEN


def test_a_cancellation_being_paid_cannot_be_changed_meanwhile(payfip):
    world = build(children=2)
    emy, lise = world.children
    paid_booking(emy, world.sessions[FRIDAY])
    submit(world, add=all_days(world, lise), cancel=[(emy, world.sessions[FRIDAY])])
    pay(world)
    for add, cancel in (([], [emy]), ([emy], [])):
        with pytest.raises(ChangesRefused) as refused:
            submit_changes(
                world.household,
                add=[Change(c.pk, world.sessions[FRIDAY].pk) for c in add],
                cancel=[Change(c.pk, world.sessions[FRIDAY].pk) for c in cancel],
                actor=world.user,
                channel=Channel.WEB,
                now=NOW + MINUTE,
            )
        assert [r.code for r in refused.value.refusals] == ["locked"]


def test_a_basket_opened_during_the_payment_takes_the_lines_back_after_a_refusal(payfip):
    world = build(children=2)
    emy, lise = world.children
    first = submit(world, add=all_days(world, emy))
    payment = pay(world)
    second = submit(world, add=[(lise, world.sessions[MONDAY])], now=NOW + MINUTE)
    assert second.pk != first.pk
    apply_detail(payment, detail(payment, "R", numauto=""), now=NOW + 2 * MINUTE)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BasketStatus.ABANDONED
    assert second.status == BasketStatus.OPEN
    assert second.lines.count() == 5
    assert Booking.objects.filter(basket=second, status=BookingStatus.REQUESTED).count() == 5
    # And the money of the refused attempt, if PayFiP ever says paid, is kept as credit.
    apply_detail(payment, detail(payment, "P"), now=NOW + 3 * MINUTE)
    assert state(payment) == PaymentState.PAID
    assert credits.balance_cents(world.household) == 1480
    assert_money_kept(world.household)


def test_the_payment_in_progress_and_its_page_while_it_lives(payfip):
    world = build()
    submit(world, add=all_days(world))
    assert payments.current_payment(world.household) is None
    payment = pay(world)
    assert payments.current_payment(world.household) == payment
    assert payments.resume_url(payment, now=NOW + 14 * MINUTE).endswith(f"idop={payment.idop}")
    assert payments.resume_url(payment, now=NOW + 15 * MINUTE) is None
    apply_detail(payment, detail(payment, "R", numauto=""), now=NOW + MINUTE)
    assert payments.current_payment(world.household) is None
    assert payments.resume_url(Payment.objects.get(pk=payment.pk), now=NOW) is None
