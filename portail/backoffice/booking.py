"""Booking for a family: the parents' rules, acting as staff (channel "backoffice").

Every change goes through reservations.basket.submit_changes with the staff member as
actor, so the family's history says "Service gestionnaire" and the staff's audit trail
(audit.py) keeps the name and, when the deadlines were passed, the reason (required).

The basket is then settled either as the parents would (nothing to pay: validated; or
left for the family to pay online before its hold ends), or at the counter
(billing.counter: cash, cheque, card on the counter's terminal).
"""

import dataclasses
import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.backoffice import audit
from portail.backoffice.households import Refused
from portail.backoffice.models import StaffActionKind
from portail.billing import checkout as checkout_service
from portail.billing import counter
from portail.billing.invoicing import billed
from portail.billing.models import CounterMeans
from portail.core.money import format_cents
from portail.families.models import Household
from portail.reservations import basket as basket_service
from portail.reservations import holds, rules
from portail.reservations.judging import Change, ChangesRefused, Refusal
from portail.reservations.models import Basket, Booking, BookingStatus, Channel
from portail.reservations.planning import WeekPlanning, week_planning
from portail.reservations.states import CellAction, CellState

REASON_MAX_LENGTH = 500


def check_reason(bypass_deadlines: bool, reason: str) -> str:
    """The reason, stripped; Refused when deadlines are passed without one."""
    reason = (reason or "").strip()
    if bypass_deadlines and not reason:
        raise Refused("reason", _("Give the reason for passing the deadlines."))
    if len(reason) > REASON_MAX_LENGTH:
        raise Refused(
            "reason", _("At most %(max)d characters, please.") % {"max": REASON_MAX_LENGTH}
        )
    return reason


def submit_for_household(
    household: Household,
    *,
    add: Sequence[Change],
    cancel: Sequence[Change],
    actor: User,
    bypass_deadlines: bool = False,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Basket:
    """submit_changes() for the family, as staff; writes the audit trail in the same
    transaction. Raises Refused (no reason when bypassing), basket.ChangesRefused (a
    change refused, e.g. a day already invoiced: nothing changed) or ValueError (no
    change at all)."""
    reason = check_reason(bypass_deadlines, reason)
    now = now or timezone.now()
    with transaction.atomic():
        holds.lock_household(household)  # as a billing run: the household first
        refuse_billed_cancellations(cancel)
        basket = basket_service.submit_changes(
            household,
            add=list(add),
            cancel=list(cancel),
            actor=actor,
            channel=Channel.BACKOFFICE,
            now=now,
            bypass_deadlines=bypass_deadlines,
        )
        summary = _("Bookings changed for the family (basket %(reference)s): %(changes)s.") % {
            "reference": basket.reference,
            "changes": _changes_text(len(add), len(cancel)),
        }
        if bypass_deadlines:
            summary += " " + _("Deadlines passed.")
        audit.log_action(
            actor=actor,
            household=household,
            kind=StaffActionKind.BOOKINGS_CHANGED,
            summary=summary,
            reason=reason,
            at=now,
        )
    return basket


def billed_cancellations(cancel: Sequence[Change]) -> dict[tuple[int, int], Refusal]:
    """The days to cancel already on an invoice (billing.invoicing.billed), by (child id,
    session id): a billed day is final, a credit note on that invoice corrects it."""
    pairs = {(int(c.child_id), int(c.session_id)) for c in cancel}
    if not pairs:
        return {}
    reserved = Booking.objects.filter(
        child_id__in={child for child, _session in pairs},
        session_id__in={session for _child, session in pairs},
        status=BookingStatus.RESERVED,
    ).select_related("child", "session__activity")
    by_pk = {b.pk: b for b in reserved if (b.child_id, b.session_id) in pairs}
    refusals = {}
    for pk, bill in sorted(billed.billed_bookings(by_pk).items()):
        b = by_pk[pk]
        block = _("%(child)s – %(activity)s, %(date)s") % {
            "child": b.child.first_name,
            "activity": b.session.activity.name,
            "date": formats.date_format(b.session.date, "SHORT_DATE_FORMAT"),
        }
        refusals[(b.child_id, b.session_id)] = Refusal(
            b.child_id, b.session_id, billed.CODE, f"{block}: {bill.message}", bill.message
        )
    return refusals


def refuse_billed_cancellations(cancel: Sequence[Change]) -> None:
    """ChangesRefused (code already_invoiced) when a day to cancel is already invoiced.
    Called under the household's lock (the one billing runs take)."""
    refusals = billed_cancellations(cancel)
    if refusals:
        raise ChangesRefused(list(refusals.values()))


def _changes_text(added: int, cancelled: int) -> str:
    parts = []
    if added:
        parts.append(_("days asked: %(n)d") % {"n": added})
    if cancelled:
        parts.append(_("cancellations or withdrawals: %(n)d") % {"n": cancelled})
    return ", ".join(parts)


def staff_week_planning(
    household: Household,
    monday: datetime.date,
    *,
    actor: User,
    bypass_deadlines: bool,
    now: datetime.datetime | None = None,
) -> WeekPlanning:
    """The family's planning (planning.week_planning); with `bypass_deadlines`, the blocks
    that only a deadline kept from changing become changeable, at the normal price.

    Exactly the changes submit_changes(bypass_deadlines=True) would accept now: asked of
    basket.judge_changes (a fixed number of queries, no lock, nothing written)."""
    now = now or timezone.now()
    planning = week_planning(household, monday, now=now, staff=True)
    if not bypass_deadlines:
        return planning
    to_add: list[Change] = []
    to_cancel: list[Change] = []
    for cell in planning.cells:
        if cell.action == CellAction.UNDO_REQUEST:
            continue
        change = Change(cell.child_id, cell.session_id)
        if cell.state == CellState.RESERVED:
            to_cancel.append(change)
        elif cell.state in (CellState.NOT_RESERVED, CellState.LOCKED):
            to_add.append(change)
    if not to_add and not to_cancel:
        return planning
    judgement = basket_service.judge_changes(
        household, add=to_add, cancel=to_cancel, actor=actor, now=now, bypass_deadlines=True
    )
    accepted = {(a.child.pk, a.session.pk): a.outcome for a in judgement.accepted}
    for pair in billed_cancellations(to_cancel):
        accepted.pop(pair, None)  # already invoiced: final, never offered
    cells = []
    for cell in planning.cells:
        outcome = accepted.get((cell.child_id, cell.session_id))
        if outcome is None or cell.action == CellAction.UNDO_REQUEST:
            cells.append(cell)
        elif outcome.op == rules.NEW_REQUEST:
            cells.append(
                dataclasses.replace(
                    cell,
                    state=CellState.NOT_RESERVED,
                    editable=True,
                    action=CellAction.RESERVE,
                    late=False,
                    price_cents=outcome.price_cents,
                    reason="" if cell.editable else _("Past the deadline."),
                )
            )
        elif outcome.op == rules.REQUEST_CANCELLATION:
            cells.append(
                dataclasses.replace(
                    cell,
                    editable=True,
                    action=CellAction.CANCEL,
                    reason="" if cell.editable else _("Past the deadline."),
                )
            )
        else:
            cells.append(cell)
    return dataclasses.replace(planning, cells=cells, _index={})


def drop_for_household(household: Household, *, actor: User) -> bool:
    """ANNULER for the family: the open basket is dropped, its places released."""
    with transaction.atomic():
        dropped = holds.drop_basket(household, actor=actor, channel=Channel.BACKOFFICE)
        if dropped:
            audit.log_action(
                actor=actor,
                household=household,
                kind=StaffActionKind.BASKET_DROPPED,
                summary=_("The family's basket was cancelled."),
            )
    return dropped


def validate_for_household(
    household: Household, *, actor: User, expected_due_cents: int = 0
) -> checkout_service.CheckoutResult:
    """OK for the family: a basket with nothing to pay (credit covers it, or only
    cancellations) is validated at once. Anything to pay is refused here: record a
    counter payment, or leave the basket for the family to pay online."""
    if expected_due_cents != 0:
        raise checkout_service.CheckoutRefused(
            checkout_service.CHANGED, _("This basket has an amount to pay.")
        )
    with transaction.atomic():
        result = checkout_service.checkout(
            household, actor=actor, channel=Channel.BACKOFFICE, expected_due_cents=0
        )
        audit.log_action(
            actor=actor,
            household=household,
            kind=StaffActionKind.BASKET_VALIDATED,
            summary=_("Basket %(reference)s validated (nothing to pay).")
            % {"reference": result.basket.reference},
        )
    return result


def pay_at_counter(
    basket: Basket,
    *,
    means: str,
    actor: User,
    reference: str = "",
    expected_due_cents: int | None = None,
) -> counter.CounterResult:
    """billing.counter.record_counter_payment, with the staff's audit trail."""
    with transaction.atomic():
        result = counter.record_counter_payment(
            basket,
            means=means,
            actor=actor,
            reference=reference,
            expected_due_cents=expected_due_cents,
        )
        summary = _("Basket %(reference)s paid at the counter: %(amount)s, %(means)s.") % {
            "reference": basket.reference,
            "amount": format_cents(result.payment.amount_cents),
            "means": CounterMeans(means).label,
        }
        if result.payment.reference:
            summary += " " + _("Reference: %(reference)s.") % {
                "reference": result.payment.reference
            }
        audit.log_action(
            actor=actor,
            household=basket.household,
            kind=StaffActionKind.COUNTER_PAYMENT,
            summary=summary,
        )
    return result
