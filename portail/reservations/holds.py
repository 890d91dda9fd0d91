"""A basket's life: opened by a submission, held for a while, dropped, reopened, expired.

Hold time: every submission sets the basket's expires_at to now + the SHORTEST hold time
among the activities of the lines then in the basket (Activity.hold_minutes, else
settings.PORTAIL_BASKET_HOLD_MINUTES). The whole basket is paid at once, so it expires at
once; the shortest hold wins because an activity asking for a short hold must not be
blocked longer by being in a basket with others. An expired basket stops holding its
places at once (occupancy ignores it); `portail expire_baskets` (run it every few minutes,
e.g. from cron or a systemd timer) then marks it expired and writes the history.

Everything that changes a household's baskets holds that household's row lock first
(lock_household): the submission (basket.py), and the checkout and payments (billing).

A place offered from the waiting list (waiting.py) is a request line held until its own
offer_expires_at: a basket holding one never holds longer than its earliest live offer
(restart_hold), and when the basket lapses first, its live offers move to a new open basket
held until the earliest of them (_carry_offers) while the rest is released. Places freed
here are offered to the waiting list (waiting.places_freed).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, FilteredRelation, OuterRef, Q
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity
from portail.core.locking import locked
from portail.core.queries import one_or_none
from portail.families import quotient
from portail.families.guardians import guardian_of
from portail.families.models import Household, QuotientPeriod
from portail.reservations import history
from portail.reservations.credit_hook import available_credit_column
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryDetail,
    LineKind,
    WaitingListEntry,
    WaitingStatus,
)


def _waiting():  # noqa: ANN202
    """waiting.py imports this module: read it when a hook needs it."""
    from portail.reservations import waiting

    return waiting


def live_offers(basket: Basket, now: datetime.datetime) -> list[WaitingListEntry]:
    """The waiting-list offers of this basket's lines still running at `now`."""
    return list(
        WaitingListEntry.objects.filter(
            booking__basket=basket,
            booking__status=BookingStatus.REQUESTED,
            status=WaitingStatus.OFFERED,
            offer_expires_at__gt=now,
        ).order_by()
    )


def close_offers(booking_ids: list[int], status: str) -> None:
    """The offers these released requests answered end (declined or expired)."""
    if booking_ids:
        WaitingListEntry.objects.filter(
            booking_id__in=booking_ids, status=WaitingStatus.OFFERED
        ).update(status=status, updated_at=timezone.now())


def _carry_offers(basket: Basket, offers: list[WaitingListEntry], now: datetime.datetime) -> Basket:
    """The live offers of a lapsed basket (already marked expired) go on in a new open
    basket, held until the earliest of them."""
    ends = min(entry.offer_expires_at for entry in offers)
    carried = new_basket(basket.household, now, expires_at=ends)
    bookings = [entry.booking_id for entry in offers]
    basket.lines.filter(booking_id__in=bookings).update(basket=carried)
    Booking.objects.filter(pk__in=bookings).update(basket=carried, updated_at=timezone.now())
    return carried


def hold_minutes(activity: Activity) -> int:
    """How long an unpaid request for this activity holds its place."""
    return activity.hold_minutes or settings.PORTAIL_BASKET_HOLD_MINUTES


def is_expired(basket: Basket, now: datetime.datetime) -> bool:
    """An open basket past its expires_at (or without one) holds nothing any more."""
    return basket.expires_at is None or basket.expires_at <= now


def check_actor(household: Household, actor: User) -> None:
    """Staff act for any household; a guardian only for their own."""
    if actor.is_staff:
        return
    guardian = guardian_of(actor)  # usually already found by the page or the API's auth
    if guardian is None or guardian.household_id != household.pk:
        raise PermissionDenied("This user does not act for this household")


def lock_household(household: Household) -> None:
    """Serialises everything that changes this household's baskets (taken first, always)."""
    locked(Household.objects.filter(pk=household.pk))


def release(
    basket: Basket,
    *,
    status: str,
    actor: User | None,
    channel: str,
    detail: str,
    at: datetime.datetime,
) -> None:
    """Close `basket` unpaid: its requests free their places, its cancellations are dropped.

    A few statements whatever the number of lines (a typical week fills a school year)."""
    lines = list(basket.lines.all())
    requested = [line.booking_id for line in lines if line.kind == LineKind.RESERVATION]
    if requested:
        Booking.objects.filter(pk__in=requested, status=BookingStatus.REQUESTED).update(
            status=BookingStatus.RELEASED, updated_at=timezone.now()
        )
        close_offers(
            requested,
            WaitingStatus.EXPIRED if status == BasketStatus.EXPIRED else WaitingStatus.DECLINED,
        )
    entries = []
    for line in lines:
        if line.kind == LineKind.RESERVATION:
            action = HistoryAction.REMOVE_RESERVATION
            why = detail
        else:
            action = HistoryAction.ADD_RESERVATION
            why = HistoryDetail.CANCELLATION_WITHDRAWN
        entries.append(
            history.entry_for(
                child=line.child_id,
                session=line.session_id,
                action=action,
                actor=actor,
                channel=channel,
                price_cents=line.unit_price_cents,
                detail=why,
                at=at,
            )
        )
    history.record_many(entries)
    basket.status = status
    basket.save(update_fields=["status", "updated_at"])


def _expire(basket: Basket, now: datetime.datetime, *, offer_now: bool = False) -> Basket | None:
    """Mark an open basket past its expiry as expired; the history says when the hold ended.

    Its live waiting-list offers go on in a new open basket, returned (else None). The
    places freed are offered to the waiting list: at once when `offer_now` (the caller
    holds only the household's lock, so the sessions' locks come next in the usual order),
    else once this transaction has committed."""
    at = min(basket.expires_at, now) if basket.expires_at else now
    offers = live_offers(basket, now)
    carried = None
    if offers:
        basket.status = BasketStatus.EXPIRED  # frees the one open basket's slot
        basket.save(update_fields=["status", "updated_at"])
        carried = _carry_offers(basket, offers, now)
    freed = set(basket.lines.filter(kind=LineKind.RESERVATION).values_list("session_id", flat=True))
    release(
        basket,
        status=BasketStatus.EXPIRED,
        actor=None,
        channel=Channel.SYSTEM,
        detail=HistoryDetail.BASKET_EXPIRED,
        at=at,
    )
    _waiting().places_freed(freed, now=now, at_once=offer_now)
    return carried


def current_open(household: Household, now: datetime.datetime) -> Basket | None:
    """The household's open basket (household row locked), expiring it first if past (its
    live waiting-list offers then go on in a new open basket, returned)."""
    return _unexpired(
        one_or_none(Basket.objects.filter(household=household, status=BasketStatus.OPEN)), now
    )


def open_with_quotients(household: Household, now: datetime.datetime) -> tuple[Basket | None, int]:
    """current_open() and, in the same statement, the household's quotient periods, kept on
    `household` (quotient.remember) for pricing, and the credit available (credit_hook,
    before its floor at 0): (basket, credit).

    Called once the household's row is locked, never in the statement that locks it: on
    PostgreSQL a statement that waited for a row lock sees the rows it joins as they were
    when it began, so it could miss a basket opened (or a QF changed: both lock the
    household first) by the transaction it waited for."""
    basket, available = _open_with_quotients(household)
    return _unexpired(basket, now), available


def open_basket_and_credit(
    household: Household, *, now: datetime.datetime | None = None
) -> tuple[Basket | None, int]:
    """open_basket(), with the household's quotient periods (kept on `household`) and the
    credit available, in one statement: what the planning page reads of the household."""
    now = now or timezone.now()
    basket, available = _open_with_quotients(household)
    if basket is not None and is_expired(basket, now):
        with transaction.atomic():
            lock_household(household)
            current_open(household, now)
        basket = None
    return basket, available


def _open_with_quotients(household: Household) -> tuple[Basket | None, int]:
    basket_fields = list(Basket._meta.concrete_fields)
    period_fields = list(QuotientPeriod._meta.concrete_fields)
    rows = (
        Household.objects.filter(pk=household.pk)
        .annotate(
            open_basket=FilteredRelation("baskets", condition=Q(baskets__status=BasketStatus.OPEN))
        )
        .annotate(**{f"basket_{f.attname}": F(f"open_basket__{f.name}") for f in basket_fields})
        .annotate(
            **{f"period_{f.attname}": F(f"quotient_periods__{f.name}") for f in period_fields}
        )
        .annotate(credit_available=available_credit_column(OuterRef("pk")))
        .order_by()
    )
    basket = None
    available = 0
    periods: dict[int, QuotientPeriod] = {}
    for row in rows:
        available = row.credit_available
        if basket is None and row.basket_id is not None:
            basket = _from_row(Basket, basket_fields, row, "basket_")
        if row.period_id is not None:
            periods[row.period_id] = _from_row(QuotientPeriod, period_fields, row, "period_")
    quotient.remember(household, periods.values())
    return basket, available


def _from_row(model: type, fields: list, row: Household, prefix: str):  # noqa: ANN202
    """The `model` instance whose columns `row` carries as annotations named prefix+column."""
    names = [f.attname for f in fields]
    return model.from_db(row._state.db, names, [getattr(row, prefix + n) for n in names])


def _unexpired(basket: Basket | None, now: datetime.datetime) -> Basket | None:
    """`basket`, or when it is past its expiry, the basket carrying its live offers (else
    None) once it is expired (_expire). The caller holds the household's lock."""
    if basket is not None and is_expired(basket, now):
        return _expire(basket, now)
    return basket


def new_basket(
    household: Household, now: datetime.datetime, *, expires_at: datetime.datetime | None = None
) -> Basket:
    """A new open basket for the household, held until `expires_at` (else `now`: the caller
    saves its hold, restart_hold()). One statement: the database completes the reference
    "PF" + year with the primary key as it inserts the row (reservations migration 0010),
    and the same is computed here from the key the INSERT returns."""
    year = timezone.localtime(now).year
    basket = Basket.objects.create(
        household=household,
        reference=Basket.reference_prefix(year),
        status=BasketStatus.OPEN,
        expires_at=expires_at or now,
        submitted_at=now,
    )
    basket.reference = Basket.make_reference(year, basket.pk)
    return basket


def hold_end(
    now: datetime.datetime,
    activities: Iterable[Activity],
    offer_ends: Iterable[datetime.datetime] = (),
) -> datetime.datetime | None:
    """When a basket submitted now with lines of these activities stops holding them: now +
    the shortest hold among them, never past a live offer's end. None without activity."""
    holds = [hold_minutes(activity) for activity in activities]
    if not holds:
        return None
    return min([now + datetime.timedelta(minutes=min(holds)), *offer_ends])


def restart_hold(
    basket: Basket,
    now: datetime.datetime,
    *,
    activities: dict[int, Activity] | None = None,
    offer_ends: list[datetime.datetime] | None = None,
) -> None:
    """Restart the hold from this submission: now + the shortest hold among the lines.

    A basket left without lines is abandoned. `activities`: the activities of all the
    basket's lines when the caller knows them (else read here); `offer_ends`: then the ends
    of the waiting-list offers still running among its requests (else read here)."""
    if activities is None:
        activities = {
            a.pk: a
            for a in Activity.objects.filter(
                pk__in=basket.lines.values("session__activity_id")
            ).order_by()
        }
    if not activities:
        basket.status = BasketStatus.ABANDONED
        basket.save(update_fields=["status", "updated_at"])
        return
    if offer_ends is None:
        offer_ends = [e.offer_expires_at for e in live_offers(basket, now)]
    basket.expires_at = hold_end(now, activities.values(), offer_ends)
    basket.submitted_at = now
    basket.save(update_fields=["expires_at", "submitted_at", "updated_at"])


def open_basket(household: Household, *, now: datetime.datetime | None = None) -> Basket | None:
    """The household's open basket, or None. A basket found past its expiry is marked
    expired on the spot (history written), as `portail expire_baskets` would."""
    now = now or timezone.now()
    basket = one_or_none(Basket.objects.filter(household=household, status=BasketStatus.OPEN))
    if basket is None or not is_expired(basket, now):
        return basket
    with transaction.atomic():
        lock_household(household)
        current_open(household, now)
    return None


def drop_basket(
    household: Household,
    *,
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
) -> bool:
    """ANNULER: drop the open basket. Its requests free their places, its cancellations are
    withdrawn (the bookings stand). False when there was no open basket (or it had expired)."""
    now = now or timezone.now()
    check_actor(household, actor)
    with transaction.atomic():
        lock_household(household)
        basket = current_open(household, now)
        if basket is None:
            return False
        freed = set(
            basket.lines.filter(kind=LineKind.RESERVATION).values_list("session_id", flat=True)
        )
        release(
            basket,
            status=BasketStatus.ABANDONED,
            actor=actor,
            channel=channel,
            detail=HistoryDetail.BASKET_DROPPED,
            at=now,
        )
        _waiting().places_freed(freed, now=now, at_once=True)
    return True


def reopen_basket(basket: Basket, *, now: datetime.datetime) -> Basket:
    """A basket whose payment did not happen (refused, abandoned, PayFiP down...) opens
    again with a new hold, so that the parent can try again; its places stayed held while
    it awaited payment. If the household opened another basket meanwhile, this one's lines
    join it (one open basket per household) and this one is closed as abandoned. Returns
    the open basket now holding the lines (abandoned if there were none).

    For portail.billing; the caller holds the household's row lock (lock_household)."""
    if basket.status != BasketStatus.AWAITING_PAYMENT:
        raise ValueError(f"Only a basket awaiting payment can reopen, not {basket.status}")
    other = current_open(basket.household, now)
    if other is None:
        basket.status = BasketStatus.OPEN
        basket.save(update_fields=["status", "updated_at"])
        restart_hold(basket, now)
        return basket
    present = set(other.lines.values_list("child_id", "session_id"))
    for line in basket.lines.all():
        if (line.child_id, line.session_id) in present:
            line.delete()  # the same cancellation, asked again in the other basket
        else:
            line.basket = other
            line.save(update_fields=["basket"])
    Booking.objects.filter(basket=basket, status=BookingStatus.REQUESTED).update(
        basket=other, updated_at=timezone.now()
    )
    basket.status = BasketStatus.ABANDONED
    basket.save(update_fields=["status", "updated_at"])
    restart_hold(other, now)
    return other


def expire_baskets(*, now: datetime.datetime | None = None) -> int:
    """Mark every open basket past its expiry as expired; returns how many.

    Occupancy already ignores them: this only tidies the statuses and writes the history
    ("Suppression : RESERVATION" by the portal). Run `portail expire_baskets` every few
    minutes."""
    now = now or timezone.now()
    due = list(
        Basket.objects.filter(status=BasketStatus.OPEN)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now))
        .values_list("pk", "household_id")
    )
    count = 0
    for pk, household_id in due:
        with transaction.atomic():
            locked(Household.objects.filter(pk=household_id))
            basket = Basket.objects.filter(pk=pk, status=BasketStatus.OPEN).first()
            if basket is not None and is_expired(basket, now):
                _expire(basket, now, offer_now=True)
                count += 1
    return count
