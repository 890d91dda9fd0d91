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

Days invoiced after the fact (Booking.invoiced: an activity invoiced on booking) take
part in the placement like any other, but no money: a request of such a day is confirmed
whatever the funds, and is counted in neither the confirmed amount nor the money used; its
cancellation cancels the booking and credits nothing (nothing was paid). Their history
says so (booked_invoiced, cancelled_not_invoiced).

settle() reads as these steps, in order: release_other_attempts, lock_sessions,
basket_lines (each booking read once, under the lock), apply_basket_cancellations
(keep_attended_booking or cancel_booking), usable_credit, confirm_requests (placement
decides over the loaded data, like reservations/rules.py; then release_request or
confirm_request), settle_the_money.
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
from portail.families.models import Household
from portail.reservations import history, waiting_lifecycle
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
from portail.reservations.occupancy import holds_place, taken_places

# History detail codes written here (HistoryEntry.detail); their labels live in HistoryDetail.
DETAIL_PAID = HistoryDetail.PAID
DETAIL_VALIDATED = HistoryDetail.VALIDATED
DETAIL_CANCELLATION_VALIDATED = HistoryDetail.CANCELLATION_VALIDATED
DETAIL_NOT_CONFIRMED = HistoryDetail.NOT_CONFIRMED
DETAIL_LATE_PAYMENT = HistoryDetail.LATE_PAYMENT
DETAIL_SESSION_CLOSED = HistoryDetail.SESSION_CLOSED
DETAIL_BOOKED_INVOICED = HistoryDetail.BOOKED_INVOICED
DETAIL_CANCELLED_NOT_INVOICED = HistoryDetail.CANCELLED_NOT_INVOICED
DETAIL_CLOSED_NOT_INVOICED = HistoryDetail.CLOSED_NOT_INVOICED
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


@dataclass(frozen=True)
class Settling:
    """Who settles which basket, how and when: what every step writes in the history and
    the ledger."""

    basket: Basket
    actor: User | None
    channel: str
    at: datetime.datetime
    detail: str  # history detail of the confirmed requests
    payment: Payment | None


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
    settling = Settling(basket, actor, channel, at, detail, payment)
    result = Settlement()
    release_other_attempts(basket, payment)
    sessions = lock_sessions(basket)
    lines = basket_lines(basket)
    # Counted before the cancellations: a place this basket gives back is not offered to
    # its own requests.
    taken = taken_places(list(sessions), now=at)
    if apply_cancellations:
        apply_basket_cancellations(settling, lines, result)
    funds = money_cents + usable_credit(basket.household, credit_budget_cents)
    confirm_requests(settling, lines, sessions, taken, funds, result)
    settle_the_money(settling, money_cents, result)
    # Offers taken or lost, places freed offered to the waiting list (sessions locked).
    waiting_lifecycle.settled(
        confirmed=result.confirmed,
        released=[booking for booking, _why in result.not_confirmed],
        cancelled=result.cancelled,
        at=at,
    )
    basket.status = final_status
    basket.save(update_fields=["status", "updated_at"])
    return result


# The steps of settle(), in their order.


def release_other_attempts(basket: Basket, payment: Payment | None) -> None:
    """Another attempt still pending for this basket no longer holds credit: if it is ever
    paid, its money becomes credit (this basket is settled now)."""
    others = Payment.objects.filter(basket=basket, state=PaymentState.PENDING)
    if payment is not None:
        others = others.exclude(pk=payment.pk)
    others.filter(~Q(credit_hold_cents=0)).update(credit_hold_cents=0)


def lock_sessions(basket: Basket) -> dict[int, Session]:
    """Lock the sessions of the basket's lines (the capacity lock of basket.py, taken
    after the household's), their activity loaded; by primary key."""
    in_basket = BasketLine.objects.filter(basket=basket).order_by().values("session_id")
    sessions = Session.objects.filter(pk__in=in_basket).select_related("activity")
    return {session.pk: session for session in locked(sessions)}


def basket_lines(basket: Basket) -> list[BasketLine]:
    """The basket's lines in date order, each with its booking as it stands now (read
    under the sessions' lock): the steps below need no other read of them."""
    return list(
        basket.lines.select_related("booking", "session__activity").order_by(
            "session__date", "session__activity__start_time", "child__first_name", "pk"
        )
    )


def apply_basket_cancellations(
    settling: Settling, lines: list[BasketLine], result: Settlement
) -> None:
    """The basket's cancellations come first: each still-reserved booking is cancelled
    and its price becomes credit. A day whose attendance was recorded since the
    cancellation was asked keeps its booking and gives no credit; its history says why."""
    cancellations = [line for line in lines if line.kind == LineKind.CANCELLATION]
    attended = attended_days(cancellations)
    for line in cancellations:
        if (line.child_id, line.session_id) in attended:
            keep_attended_booking(settling, line, result)
        else:
            cancel_booking(settling, line, result)


def keep_attended_booking(settling: Settling, line: BasketLine, result: Settlement) -> None:
    """The day has happened (attendance recorded after the cancellation was asked): the
    booking stands and gives no credit. Not counted by quote()."""
    booking = line.booking
    if booking.status != BookingStatus.RESERVED:
        return
    history.record(
        child=line.child_id,
        session=line.session_id,
        action=HistoryAction.ADD_RESERVATION,
        actor=None,
        channel=settling.channel,
        price_cents=line.unit_price_cents,
        detail=DETAIL_CANCELLATION_NOT_APPLIED,
        at=settling.at,
    )
    result.cancellations_not_applied.append(booking)


def cancel_booking(settling: Settling, line: BasketLine, result: Settlement) -> None:
    """A reserved booking becomes cancelled and its price becomes credit; one cancelled
    meanwhile (by the service, or another basket) gives nothing a second time. A booking
    invoiced after the fact is cancelled without credit: it was never paid."""
    done = Booking.objects.filter(pk=line.booking_id, status=BookingStatus.RESERVED).update(
        status=BookingStatus.CANCELLED, updated_at=settling.at
    )
    if not done:
        return
    booking = line.booking
    booking.status = BookingStatus.CANCELLED
    if booking.invoiced:
        history.record(
            child=line.child_id,
            session=line.session_id,
            action=HistoryAction.REMOVE_RESERVATION,
            actor=settling.actor,
            channel=settling.channel,
            price_cents=line.unit_price_cents,
            detail=DETAIL_CANCELLED_NOT_INVOICED,
            at=settling.at,
        )
        result.cancelled.append(booking)
        return
    credits.add_credit(
        settling.basket.household,
        line.unit_price_cents,
        kind=CreditKind.CANCELLATION,
        reason="",
        actor=settling.actor,
        basket=settling.basket,
        booking=booking,
        at=settling.at,
    )
    history.record(
        child=line.child_id,
        session=line.session_id,
        action=HistoryAction.REMOVE_RESERVATION,
        actor=settling.actor,
        channel=settling.channel,
        price_cents=line.unit_price_cents,
        detail=DETAIL_CANCELLATION_VALIDATED,
        at=settling.at,
    )
    result.cancelled.append(booking)
    result.cancellation_credit_cents += line.unit_price_cents


def usable_credit(household: Household, credit_budget_cents: int) -> int:
    """The credit usable here: the budget, within what no other pending payment holds
    (the caller has already taken its own payment out of the pending ones)."""
    return max(0, min(credit_budget_cents, credits.available_cents(household)))


def confirm_requests(
    settling: Settling,
    lines: list[BasketLine],
    sessions: dict[int, Session],
    taken: dict[int, int],
    funds: int,
    result: Settlement,
) -> None:
    """Each request, in date order, is confirmed if its place is still its own on a day
    still open (see `placement`) and the funds left cover its price; otherwise it is not
    confirmed, and released if it was holding its place (its place goes to others)."""
    requests = [line for line in lines if line.kind == LineKind.RESERVATION]
    for line in requests:
        line.booking.basket = settling.basket  # judged as held by the basket being settled
    elsewhere = booked_elsewhere(requests, sessions, settling.at)
    for line in requests:
        booking = line.booking
        session = sessions[line.session_id]
        was_holding = booking.status == BookingStatus.REQUESTED
        place = placement(booking, session, at=settling.at, taken=taken, elsewhere=elsewhere)
        if place == FREE:
            taken[session.pk] = taken.get(session.pk, 0) + 1
        reason = "" if place in (HELD, FREE) else place
        cost = 0 if booking.invoiced else line.unit_price_cents  # invoiced: paid later
        if not reason and cost > funds:
            reason = NOT_CONFIRMED_FUNDS
        if reason:
            if was_holding:
                release_request(settling, line)
            result.not_confirmed.append((booking, reason))
            continue
        confirm_request(settling, line)
        funds -= cost
        result.confirmed_cents += cost
        result.confirmed.append(booking)


def release_request(settling: Settling, line: BasketLine) -> None:
    """A request not confirmed lets its place go; its history says so."""
    booking = line.booking
    booking.status = BookingStatus.RELEASED
    booking.save(update_fields=["status", "updated_at"])
    history.record(
        child=line.child_id,
        session=line.session_id,
        action=HistoryAction.REMOVE_RESERVATION,
        actor=None,
        channel=settling.channel,
        price_cents=line.unit_price_cents,
        detail=DETAIL_NOT_CONFIRMED,
        at=settling.at,
    )


def confirm_request(settling: Settling, line: BasketLine) -> None:
    """A confirmed request becomes a reserved booking of the basket; one released
    meanwhile and confirmed again says it was confirmed by a payment received late."""
    booking = line.booking
    revived = booking.status == BookingStatus.RELEASED
    booking.status = BookingStatus.RESERVED
    booking.basket = settling.basket
    booking.save(update_fields=["status", "basket", "updated_at"])
    history.record(
        child=line.child_id,
        session=line.session_id,
        action=HistoryAction.ADD_RESERVATION,
        actor=settling.actor,
        channel=settling.channel,
        price_cents=line.unit_price_cents,
        detail=DETAIL_BOOKED_INVOICED
        if booking.invoiced
        else DETAIL_LATE_PAYMENT
        if revived
        else settling.detail,
        at=settling.at,
    )


def settle_the_money(settling: Settling, money_cents: int, result: Settlement) -> None:
    """Money is used before credit: credit used = max(0, confirmed − money), and money not
    used for bookings becomes credit (payment_surplus)."""
    result.credit_used_cents = max(0, result.confirmed_cents - money_cents)
    result.surplus_cents = max(0, money_cents - result.confirmed_cents)
    household = settling.basket.household
    if result.credit_used_cents:
        credits.add_credit(
            household,
            -result.credit_used_cents,
            kind=CreditKind.CHECKOUT,
            reason="",
            actor=settling.actor,
            basket=settling.basket,
            payment=settling.payment,
            at=settling.at,
        )
    if result.surplus_cents:
        credits.add_credit(
            household,
            result.surplus_cents,
            kind=CreditKind.PAYMENT_SURPLUS,
            reason="",
            actor=None,
            basket=settling.basket,
            payment=settling.payment,
            at=settling.at,
        )


# Whether a request's place is still its own: decisions over loaded data, no query.

# The place of a request that can be confirmed (else placement() gives a NOT_CONFIRMED_*).
HELD = "held"  # its basket still holds it: already counted in the places taken
FREE = "free"  # released, but the place is free and the day not started: one more taken


def placement(
    booking: Booking,
    session: Session,
    *,
    at: datetime.datetime,
    taken: dict[int, int],
    elsewhere: set[int],
) -> str:
    """HELD or FREE when this request can have its place now, else why not (a
    NOT_CONFIRMED_* code): the day closed by the service; a booking no longer requested
    nor released (the child got the day another way); the day started; the child booked
    on the day through another booking (`elsewhere`: see booked_elsewhere); the session
    full. `booking.basket` is the basket being settled."""
    if not session.is_open:
        return NOT_CONFIRMED_CLOSED
    if holds_place(booking, at):
        return HELD
    if booking.status not in (BookingStatus.REQUESTED, BookingStatus.RELEASED):
        return NOT_CONFIRMED_DUPLICATE
    if deadlines.session_start(session.activity, session.date) <= at:
        return NOT_CONFIRMED_STARTED
    if booking.pk in elsewhere:
        return NOT_CONFIRMED_DUPLICATE
    if taken.get(session.pk, 0) >= session.capacity:
        return NOT_CONFIRMED_FULL
    return FREE


def needs_a_free_place(booking: Booking, session: Session, at: datetime.datetime) -> bool:
    """A request that placement() would check against the other bookings of its day."""
    return (
        session.is_open
        and not holds_place(booking, at)
        and booking.status in (BookingStatus.REQUESTED, BookingStatus.RELEASED)
        and deadlines.session_start(session.activity, session.date) > at
    )


def booked_elsewhere(
    requests: list[BasketLine], sessions: dict[int, Session], at: datetime.datetime
) -> set[int]:
    """The bookings of these requests whose child already has another active booking on
    the same day (one query, none when no request needs a free place)."""
    candidates = [
        line.booking
        for line in requests
        if needs_a_free_place(line.booking, sessions[line.session_id], at)
    ]
    if not candidates:
        return set()
    rows = (
        Booking.objects.filter(
            child_id__in={booking.child_id for booking in candidates},
            session_id__in={booking.session_id for booking in candidates},
            status__in=ACTIVE_BOOKING_STATUSES,
        )
        .order_by()
        .values_list("pk", "child_id", "session_id")
    )
    active: dict[tuple[int, int], set[int]] = {}
    for pk, child_id, session_id in rows:
        active.setdefault((child_id, session_id), set()).add(pk)
    return {
        booking.pk
        for booking in candidates
        if active.get((booking.child_id, booking.session_id), set()) - {booking.pk}
    }
