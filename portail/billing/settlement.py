"""Settling a basket: its bookings confirmed, its cancellations made, the ledger written.

One function for both ways a basket is settled: validated at 0 due (OK), and paid on
PayFiP (including a payment that arrives after its basket expired, or a second payment of
a basket already paid). The caller holds the household's row lock inside a transaction;
this locks the sessions' rows (the capacity lock of basket.py, same order: household,
then sessions).

The money rule: funds = money received + credit budget. The basket's cancellations are
done first (each still-reserved booking becomes cancelled and its price becomes credit;
a cancellation whose day has attendance recorded since it was asked is not applied: the
booking stays reserved, gives no credit, and its history says why).
Then each request, in date order, is confirmed if its place is still its own (held by
the basket, or free again and the day not started) on a day still open, and if the funds
left cover its price. Money is used before credit: credit used = max(0, confirmed −
money), and money not used for bookings becomes credit (payment_surplus). So, per
household, money paid + staff credit = price of the confirmed bookings + credit balance,
whatever happened meanwhile; a request that cannot be confirmed is released (its place
goes to others) and, if it was paid, its price is in the credit.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q

from portail.accounts.models import User
from portail.activities import deadlines
from portail.activities.models import Session
from portail.billing import credits
from portail.billing.models import CreditKind, Payment, PaymentState
from portail.core.locking import locked
from portail.reservations import history, rules
from portail.reservations.models import (
    ACTIVE_BOOKING_STATUSES,
    Attendance,
    Basket,
    BasketLine,
    Booking,
    BookingStatus,
    HistoryAction,
    HistoryDetail,
    LineKind,
)
from portail.reservations.occupancy import taken_places

# History detail codes written here (HistoryEntry.detail); their labels live in HistoryDetail.
DETAIL_PAID = HistoryDetail.PAID
DETAIL_VALIDATED = HistoryDetail.VALIDATED
DETAIL_CANCELLATION_VALIDATED = HistoryDetail.CANCELLATION_VALIDATED
DETAIL_NOT_CONFIRMED = HistoryDetail.NOT_CONFIRMED
DETAIL_LATE_PAYMENT = HistoryDetail.LATE_PAYMENT
DETAIL_SESSION_CLOSED = HistoryDetail.SESSION_CLOSED
# Written with ADD_RESERVATION (the booking stands) when a cancellation in the basket meets
# a day whose attendance was recorded meanwhile.
DETAIL_CANCELLATION_NOT_APPLIED = HistoryDetail.CANCELLATION_NOT_APPLIED

# Why a request was not confirmed (Settlement.not_confirmed).
NOT_CONFIRMED_FULL = "full"  # its place went to someone else after the basket expired
NOT_CONFIRMED_CLOSED = "closed"  # the service closed the day
NOT_CONFIRMED_STARTED = "started"  # the day had begun when the late payment came
NOT_CONFIRMED_DUPLICATE = "duplicate"  # the child got the day through another basket
NOT_CONFIRMED_FUNDS = "funds"  # the money and credit did not cover it


@dataclass
class Settlement:
    confirmed: list[Booking] = field(default_factory=list)
    not_confirmed: list[tuple[Booking, str]] = field(default_factory=list)
    cancelled: list[Booking] = field(default_factory=list)
    # Cancellations of the basket not applied: attendance was recorded on the day since
    # they were asked (the booking stays reserved, no credit).
    cancellations_not_applied: list[Booking] = field(default_factory=list)
    cancellation_credit_cents: int = 0
    confirmed_cents: int = 0
    credit_used_cents: int = 0
    surplus_cents: int = 0  # money that became credit (payment_surplus)

    @property
    def complete(self) -> bool:
        """Every request of the basket was confirmed."""
        return not self.not_confirmed


def attended_days(lines: list[BasketLine]) -> set[tuple[int, int]]:
    """The (child, session) pairs of these cancellation lines with attendance recorded:
    their cancellation can no longer be applied (one query)."""
    pairs = {
        (line.child_id, line.session_id) for line in lines if line.kind == LineKind.CANCELLATION
    }
    if not pairs:
        return set()
    rows = Attendance.objects.filter(
        child_id__in={child for child, _session in pairs},
        session_id__in={session for _child, session in pairs},
    ).values_list("child_id", "session_id")
    return set(rows) & pairs


def _place_check(
    booking: Booking,
    session: Session,
    basket: Basket,
    taken: dict[int, int],
    at: datetime.datetime,
) -> str:
    """ "" when this request can be confirmed now, else a NOT_CONFIRMED_* code."""
    if not session.is_open:
        return NOT_CONFIRMED_CLOSED
    booking.basket = basket
    if rules.holds_place(booking, at):
        return ""  # its place is counted in `taken` already
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.RELEASED):
        return NOT_CONFIRMED_DUPLICATE
    if deadlines.session_start(session.activity, session.date) <= at:
        return NOT_CONFIRMED_STARTED
    other = (
        Booking.objects.filter(
            child_id=booking.child_id,
            session_id=booking.session_id,
            status__in=ACTIVE_BOOKING_STATUSES,
        )
        .exclude(pk=booking.pk)
        .exists()
    )
    if other:
        return NOT_CONFIRMED_DUPLICATE
    if taken.get(session.pk, 0) >= session.capacity:
        return NOT_CONFIRMED_FULL
    taken[session.pk] = taken.get(session.pk, 0) + 1
    return ""


def settle(
    basket: Basket,
    *,
    money_cents: int,
    credit_budget_cents: int,
    apply_cancellations: bool,
    final_status: str,
    detail: str,
    actor: User | None,
    channel: str,
    at: datetime.datetime,
    payment: Payment | None = None,
) -> Settlement:
    """Settle `basket` (see the module's docstring); sets its status to `final_status`.

    `credit_budget_cents`: at most this much credit may be used (it is also capped by the
    credit available once the cancellations are credited). `apply_cancellations`: False
    for a basket that expired (its cancellations were withdrawn then). `detail`: the
    history detail of the confirmed requests (DETAIL_PAID / DETAIL_VALIDATED).
    Must run inside transaction.atomic() with the household's row locked.
    """
    result = Settlement()
    household = basket.household
    # Another attempt still pending for this basket no longer holds credit: if it is ever
    # paid, its money becomes credit (this basket is settled now).
    others = Payment.objects.filter(basket=basket, state=PaymentState.PENDING)
    if payment is not None:
        others = others.exclude(pk=payment.pk)
    others.filter(~Q(credit_hold_cents=0)).update(credit_hold_cents=0)
    lines = list(
        basket.lines.select_related("booking", "session__activity").order_by(
            "session__date", "session__activity__start_time", "child__first_name", "pk"
        )
    )
    sessions = {
        s.pk: s
        for s in locked(
            Session.objects.filter(pk__in={line.session_id for line in lines}).select_related(
                "activity"
            )
        )
    }
    taken = taken_places(list(sessions), now=at)

    if apply_cancellations:
        attended = attended_days(lines)
        for line in lines:
            if line.kind != LineKind.CANCELLATION:
                continue
            if (line.child_id, line.session_id) in attended:
                # The day has happened (attendance recorded after the cancellation was
                # asked): the booking stands and gives no credit. Not counted by quote().
                booking = line.booking
                if booking.status == BookingStatus.RESERVED:
                    history.record(
                        child=line.child_id,
                        session=line.session_id,
                        action=HistoryAction.ADD_RESERVATION,
                        actor=None,
                        channel=channel,
                        price_cents=line.unit_price_cents,
                        detail=DETAIL_CANCELLATION_NOT_APPLIED,
                        at=at,
                    )
                    result.cancellations_not_applied.append(booking)
                continue
            done = Booking.objects.filter(pk=line.booking_id, status=BookingStatus.RESERVED).update(
                status=BookingStatus.CANCELLED, updated_at=at
            )
            if not done:
                continue  # cancelled meanwhile (by the service, or another basket)
            booking = line.booking
            booking.status = BookingStatus.CANCELLED
            credits.add_credit(
                household,
                line.unit_price_cents,
                kind=CreditKind.CANCELLATION,
                reason="",
                actor=actor,
                basket=basket,
                booking=booking,
                at=at,
            )
            history.record(
                child=line.child_id,
                session=line.session_id,
                action=HistoryAction.REMOVE_RESERVATION,
                actor=actor,
                channel=channel,
                price_cents=line.unit_price_cents,
                detail=DETAIL_CANCELLATION_VALIDATED,
                at=at,
            )
            result.cancelled.append(booking)
            result.cancellation_credit_cents += line.unit_price_cents

    # The credit usable here: the budget, within what no other pending payment holds (the
    # caller has already taken `payment` out of the pending ones).
    budget = max(0, min(credit_budget_cents, credits.available_cents(household)))
    funds = money_cents + budget
    for line in lines:
        if line.kind != LineKind.RESERVATION:
            continue
        booking = Booking.objects.get(pk=line.booking_id)
        session = sessions[line.session_id]
        was_holding = booking.status == BookingStatus.REQUESTED
        reason = _place_check(booking, session, basket, taken, at)
        if not reason and line.unit_price_cents > funds:
            reason = NOT_CONFIRMED_FUNDS
        if reason:
            if was_holding:
                booking.status = BookingStatus.RELEASED
                booking.save(update_fields=["status", "updated_at"])
                history.record(
                    child=line.child_id,
                    session=line.session_id,
                    action=HistoryAction.REMOVE_RESERVATION,
                    actor=None,
                    channel=channel,
                    price_cents=line.unit_price_cents,
                    detail=DETAIL_NOT_CONFIRMED,
                    at=at,
                )
            result.not_confirmed.append((booking, reason))
            continue
        revived = booking.status == BookingStatus.RELEASED
        booking.status = BookingStatus.RESERVED
        booking.basket = basket
        booking.save(update_fields=["status", "basket", "updated_at"])
        funds -= line.unit_price_cents
        result.confirmed_cents += line.unit_price_cents
        result.confirmed.append(booking)
        history.record(
            child=line.child_id,
            session=line.session_id,
            action=HistoryAction.ADD_RESERVATION,
            actor=actor,
            channel=channel,
            price_cents=line.unit_price_cents,
            detail=DETAIL_LATE_PAYMENT if revived else detail,
            at=at,
        )

    result.credit_used_cents = max(0, result.confirmed_cents - money_cents)
    result.surplus_cents = max(0, money_cents - result.confirmed_cents)
    if result.credit_used_cents:
        credits.add_credit(
            household,
            -result.credit_used_cents,
            kind=CreditKind.CHECKOUT,
            reason="",
            actor=actor,
            basket=basket,
            payment=payment,
            at=at,
        )
    if result.surplus_cents:
        credits.add_credit(
            household,
            result.surplus_cents,
            kind=CreditKind.PAYMENT_SURPLUS,
            reason="",
            actor=None,
            basket=basket,
            payment=payment,
            at=at,
        )
    basket.status = final_status
    basket.save(update_fields=["status", "updated_at"])
    return result
