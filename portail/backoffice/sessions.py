"""Changing a day (session) as the service gestionnaire: its capacity, or closing it.

Capacity: never below the places already taken (reserved bookings and requests holding a
place, occupancy.taken_places), checked and written under the session's row lock, the
capacity lock every basket submission takes: so no family can take a place between the
check and the change.

Closing (strike, outing...) goes through activities.calendar.close_sessions(), whose
`sessions_closed` signal makes billing.closures cancel every reserved booking of the day
with its full price as credit (once the closing has committed). Then, here:
- the same crediting is run again at once (it is idempotent), so the credits are there
  before the e-mails go even when the signal's after-commit hook has not run yet;
- reservation requests waiting in open baskets are withdrawn (their places and the
  family's basket freed: nothing to pay for a closed day); a basket already being paid on
  PayFiP cannot change: its settlement confirms nothing on a closed day and credits the
  money (billing.settlement);
- every household concerned is e-mailed ("closure_notice", kept in "Mes documents");
- the staff's audit trail keeps who closed the day and why.
A day with attendance already recorded cannot be closed (it has happened).

Call these outside transaction.atomic(): closing takes the session's lock, then the
households' (the crediting), each in its own transaction, in the usual order.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portail.accounts.models import User
from portail.activities import calendar
from portail.activities.models import Session
from portail.backoffice import audit
from portail.backoffice.households import Refused
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing import closures
from portail.billing.invoicing import billed
from portail.core.locking import locked
from portail.core.models import Organisation
from portail.core.money import format_cents
from portail.families import messaging
from portail.families.models import Child, Document, Household
from portail.reservations import basket as basket_service
from portail.reservations import waiting
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import (
    Attendance,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
)
from portail.reservations.occupancy import taken_places

MAX_CAPACITY = 10_000
REASON_MAX_LENGTH = Session._meta.get_field("closed_reason").max_length


def session_label(session: Session) -> str:
    """ "Restauration Scolaire Malves (École Jules Ferry), 07/12/2026" (activity loaded)."""
    return _("%(activity)s (%(site)s), %(date)s") % {
        "activity": session.activity.name,
        "site": session.activity.site.name,
        "date": formats.date_format(session.date, "SHORT_DATE_FORMAT"),
    }


def _load(session_id: int) -> Session:
    return Session.objects.select_related("activity__site").get(pk=session_id)


# --- capacity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapacityChange:
    session: Session
    previous: int
    capacity: int
    taken: int

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.taken)


def _check_capacity_value(capacity: object) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int):
        raise Refused("capacity", _("The capacity must be a whole number."))
    if not 0 <= capacity <= MAX_CAPACITY:
        raise Refused(
            "capacity",
            _("The capacity must be between 0 and %(max)d.") % {"max": MAX_CAPACITY},
        )


def _check_taken(capacity: int, taken: int) -> None:
    if capacity < taken:
        raise Refused(
            "capacity",
            _(
                "%(taken)d places are already taken on this day: the capacity cannot be "
                "lower than that."
            )
            % {"taken": taken},
        )


def check_capacity(
    session: Session | int, capacity: int, *, now: datetime.datetime | None = None
) -> None:
    """The checks of change_capacity() without the lock nor the change, for a form's early
    error (the Django admin); change_capacity() checks again under the lock. Raises
    Refused("capacity", ...)."""
    _check_capacity_value(capacity)
    session_id = session if isinstance(session, int) else session.pk
    taken = taken_places([session_id], now=now or timezone.now()).get(session_id, 0)
    _check_taken(capacity, taken)


def change_capacity(
    session: Session | int,
    capacity: int,
    *,
    actor: User,
    now: datetime.datetime | None = None,
) -> CapacityChange:
    """Set the day's capacity. Raises Refused("capacity", ...) (nothing changed) for a
    value out of 0..MAX_CAPACITY or below the places taken now; Session.DoesNotExist."""
    now = now or timezone.now()
    session_id = session if isinstance(session, int) else session.pk
    _check_capacity_value(capacity)
    with transaction.atomic():
        rows = locked(Session.objects.filter(pk=session_id))
        if not rows:
            raise Session.DoesNotExist(session_id)
        row = rows[0]
        taken = taken_places([row.pk], now=now).get(row.pk, 0)
        _check_taken(capacity, taken)
        previous = row.capacity
        if capacity != previous:
            Session.objects.filter(pk=row.pk).update(capacity=capacity)
            row.capacity = capacity
            # A place more: the first family on the waiting list is offered it (same lock).
            waiting.offer_freed_places([row.pk], now=now)
            loaded = _load(row.pk)
            audit.log_action(
                actor=actor,
                kind=StaffActionKind.SESSION_CHANGED,
                summary=_("Capacity of %(day)s: %(previous)d → %(capacity)d places.")
                % {"day": session_label(loaded), "previous": previous, "capacity": capacity},
                at=now,
            )
    return CapacityChange(_load(session_id), previous, capacity, taken)


# --- closing -------------------------------------------------------------------------------


@dataclass
class ClosedDay:
    """One child's day on the closed session, as the family's e-mail tells it."""

    child: Child
    credit_cents: int  # the price credited (0 for a request withdrawn, or a free booking)
    withdrawn: bool  # a request awaiting payment, withdrawn from the basket


@dataclass
class Closure:
    session: Session
    reason: str
    cancelled: int = 0  # reserved bookings cancelled with credit
    withdrawn: int = 0  # requests withdrawn from open baskets
    credited_cents: int = 0
    households: dict[int, list[ClosedDay]] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)


def check_reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise Refused("reason", _("Give the reason for closing this day (strike, outing...)."))
    if len(reason) > REASON_MAX_LENGTH:
        raise Refused(
            "reason", _("At most %(max)d characters, please.") % {"max": REASON_MAX_LENGTH}
        )
    return reason


class ClosureInvoiced(Refused):
    """close_session() refused: something of the day is already on an invoice."""

    code = billed.CODE


def close_session(
    session: Session | int,
    reason: str,
    *,
    actor: User,
    now: datetime.datetime | None = None,
    notify: bool = True,
) -> Closure:
    """Close the day for `reason`: bookings cancelled with full credit, requests withdrawn,
    families e-mailed (see the module docstring). Raises Refused (nothing changed) for a
    missing or too long reason, a day already closed, a day with attendance recorded, or
    a day already invoiced (ClosureInvoiced, code already_invoiced); Session.DoesNotExist.
    With notify=False the families are not e-mailed nor their trail written: the caller
    does it (the strike's closing of many days: one e-mail per family, backoffice.strike)."""
    now = now or timezone.now()
    session_id = session if isinstance(session, int) else session.pk
    reason = check_reason(reason)
    with transaction.atomic():
        rows = locked(Session.objects.filter(pk=session_id))
        if not rows:
            raise Session.DoesNotExist(session_id)
        row = rows[0]
        if not row.is_open:
            raise Refused(
                "", _("This day is already closed (%(reason)s).") % {"reason": row.closed_reason}
            )
        if Attendance.objects.filter(session_id=row.pk).exists():
            raise Refused(
                "", _("Attendance has already been recorded on this day: it cannot be closed.")
            )
        bill = billed.billed_on_session(row.pk)
        if bill is not None:
            # Something of the day is invoiced: final (billing.invoicing.billed).
            raise ClosureInvoiced("", bill.message)
        # Taken under the lock: no booking of the day can be confirmed meanwhile.
        reserved = dict(
            Booking.objects.filter(session_id=row.pk, status=BookingStatus.RESERVED).values_list(
                "pk", "price_cents"
            )
        )
        calendar.close_sessions([row], reason, actor=actor)
        loaded = _load(row.pk)
        audit.log_action(
            actor=actor,
            kind=StaffActionKind.SESSION_CLOSED,
            summary=_("%(day)s closed.") % {"day": session_label(loaded)},
            reason=reason,
            at=now,
        )
    # Idempotent: does nothing when the signal's after-commit crediting already ran.
    closures.credit_closed_bookings([session_id], now=now, actor=actor)
    closure = Closure(session=_load(session_id), reason=reason)
    cancelled = Booking.objects.filter(
        pk__in=list(reserved), status=BookingStatus.CANCELLED
    ).select_related("child")
    days: dict[int, list[ClosedDay]] = defaultdict(list)
    for booking in cancelled.order_by("child__household_id", "child__first_name", "pk"):
        credit = 0 if booking.invoiced else booking.price_cents  # invoiced: never paid
        days[booking.child.household_id].append(ClosedDay(booking.child, credit, False))
        closure.cancelled += 1
        closure.credited_cents += credit
    for household, children in _withdraw_requests(session_id, actor, now).items():
        for child in children:
            days[household.pk].append(ClosedDay(child, 0, True))
            closure.withdrawn += 1
    closure.households = dict(days)
    if notify:
        _notify(closure, actor, now)
    return closure


def _withdraw_requests(
    session_id: int, actor: User, now: datetime.datetime
) -> dict[Household, list[Child]]:
    """Withdraw the day's requests from the open baskets (each household in its own
    transaction, through the basket's own rules); returns what was withdrawn."""
    pending = (
        Booking.objects.filter(
            session_id=session_id,
            status=BookingStatus.REQUESTED,
            basket__status=BasketStatus.OPEN,
            basket__expires_at__gt=now,
        )
        .select_related("child__household")
        .order_by("child__household_id", "child_id")
    )
    by_household: dict[int, list[Child]] = defaultdict(list)
    households: dict[int, Household] = {}
    for booking in pending:
        households[booking.child.household_id] = booking.child.household
        by_household[booking.child.household_id].append(booking.child)
    withdrawn: dict[Household, list[Child]] = {}
    for household_id, children in by_household.items():
        household = households[household_id]
        try:
            basket_service.submit_changes(
                household,
                add=[],
                cancel=[Change(child.pk, session_id) for child in children],
                actor=actor,
                channel=Channel.BACKOFFICE,
                now=now,
            )
        except ChangesRefused:
            continue  # the basket expired or was paid meanwhile: nothing held any more
        withdrawn[household] = children
    return withdrawn


def _notify(closure: Closure, actor: User, now: datetime.datetime) -> None:
    """One e-mail per household concerned, each guardian in their own language; the audit
    trail per household."""
    session = closure.session

    def summary(days: list, total: int) -> str:
        return ngettext(
            "%(day)s closed: %(count)d day cancelled, %(credit)s credited; the family "
            "was e-mailed.",
            "%(day)s closed: %(count)d days cancelled, %(credit)s credited; the family "
            "was e-mailed.",
            len(days),
        ) % {"day": session_label(session), "count": len(days), "credit": format_cents(total)}

    closure.documents.extend(
        notify_closed_days(
            {h: [(session, day) for day in days] for h, days in closure.households.items()},
            closure.reason,
            actor,
            now,
            template="backoffice/sessions_closed_email",
            summary=summary,
        )
    )


def notify_closed_days(
    by_household: dict[int, list[tuple[Session, ClosedDay]]],
    reason: str,
    actor: User,
    now: datetime.datetime,
    *,
    template: str,
    summary: Callable[[list, int], str],
) -> list[Document]:
    """After days were closed (one, or many for a strike): one e-mail per household listing
    its days (`<template>_subject.txt` and `_body.txt`, each guardian in their language)
    and one line in the service's journal per household (`summary(days, total credited)`).
    The documents kept in the households' "Mes documents"."""
    if not by_household:
        return []
    households = Household.objects.in_bulk(list(by_household))
    label = audit.staff_label(actor)[:400]
    organisation = Organisation.current()
    documents, actions = [], []
    for household_id, days in by_household.items():
        household = households[household_id]
        total = sum(day.credit_cents for _session, day in days)

        def write(household=household, days=days, total=total) -> tuple[str, str]:  # noqa: ANN001
            first = days[0][0]
            context = {
                "household": household,
                "session": first,
                "day": session_label(first),
                "reason": reason,
                "days": [
                    {
                        "day": session_label(session),
                        "child": day.child,
                        "withdrawn": day.withdrawn,
                        "credit": format_cents(day.credit_cents) if day.credit_cents else "",
                    }
                    for session, day in days
                ],
                "count": len(days),
                "total_credit": total,
                "total_credit_text": format_cents(total),
                "organisation": organisation,
            }
            subject = render_to_string(f"{template}_subject.txt", context)
            body = render_to_string(f"{template}_body.txt", context)
            return subject, body.strip() + "\n"

        documents.append(
            messaging.send_to_household_in_languages(
                household, kind=Document.Kind.CLOSURE_NOTICE, write=write
            )
        )
        actions.append(
            StaffAction(
                household=household,
                actor=actor,
                actor_label=label,
                kind=StaffActionKind.SESSION_CLOSED,
                summary=summary(days, total),
                reason=reason,
                created_at=now,
            )
        )
    StaffAction.objects.bulk_create(actions)
    return documents
