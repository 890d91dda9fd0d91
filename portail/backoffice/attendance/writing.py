"""What a judged mark writes, inside the caller's transaction (its locks held).

For each mark that changes something, in this order:
1. the child's mark is stored (created, corrected, or removed for an unbooked child
   marked "not here": its amount due goes with it);
2. a justified absence decided by a gestionnaire credits the booking's price to the
   household (billing.credits, kind justified_absence, once per booking);
3. the child's history gets a row (ATTENDANCE_PRESENT or ATTENDANCE_ABSENT, channel
   back office, with the booking's price or the amount due);
4. the staff's audit trail gets an entry saying the mark, what was credited or is due,
   and the mark it replaced.
A mark equal to the current one writes nothing.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from portail.accounts.models import User
from portail.activities.models import Session
from portail.backoffice import audit
from portail.backoffice.attendance.sheet import Mark, RowKind, SheetRow, day_label
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing import credits
from portail.billing.models import CreditKind
from portail.core.grammar import of_name
from portail.core.money import format_cents
from portail.families.models import Child
from portail.reservations import history
from portail.reservations.models import (
    Attendance,
    Channel,
    HistoryAction,
    HistoryEntry,
)


@dataclass
class Plan:
    """The change a mark makes, once judged (marks.judge)."""

    row: SheetRow
    mark: str
    credit_cents: int = 0
    charge_cents: int | None = None
    history_detail: str = ""
    noop: bool = False  # the mark is already the child's
    awaiting_decision: bool = False  # a certificate recorded without credit (an agent)

    @property
    def present(self) -> bool:
        return self.mark in (Mark.PRESENT, Mark.PRESENT_UNBOOKED)


@dataclass
class Recorded:
    child: Child
    mark: str
    changed: bool
    credit_cents: int = 0  # absent_justified: the price credited
    charge_cents: int | None = None  # present_unbooked: the amount due
    awaiting_decision: bool = False  # absent_justified by an agent: nothing credited yet


def write(
    session: Session, plans: list[Plan], actor: User, now: datetime.datetime
) -> list[Recorded]:
    """Carry out the judged marks (steps 1 to 4 above); one Recorded per plan, in order."""
    changes = [plan for plan in plans if not plan.noop]
    for plan in changes:
        _store_mark(plan, session, actor, now)
        if plan.credit_cents:
            _credit_justified_absence(plan, session, actor, now)
    history.record_many([_history_entry(plan, session, actor, now) for plan in changes])
    label = audit.staff_label(actor)[:400]
    StaffAction.objects.bulk_create(
        [_audit_action(plan, session, actor, label, now) for plan in changes]
    )
    return [_recorded(plan) for plan in plans]


def _store_mark(plan: Plan, session: Session, actor: User, now: datetime.datetime) -> None:
    """Step 1: the child's Attendance row, which locks the family's block on the planning.
    An unbooked child marked "not here" has no mark at all (its amount due goes with it)."""
    row = plan.row
    if plan.mark == Mark.ABSENT and row.kind == RowKind.UNBOOKED:
        Attendance.objects.filter(pk=row.attendance.pk).delete()
    elif row.attendance is None:
        Attendance.objects.create(
            child=row.child,
            session=session,
            present=plan.present,
            justified=plan.mark == Mark.ABSENT_JUSTIFIED,
            charge_cents=plan.charge_cents,
            recorded_by=actor,
        )
    else:
        Attendance.objects.filter(pk=row.attendance.pk).update(
            present=plan.present,
            justified=plan.mark == Mark.ABSENT_JUSTIFIED,
            charge_cents=plan.charge_cents,
            recorded_by=actor,
            recorded_at=now,
        )


def _credit_justified_absence(
    plan: Plan, session: Session, actor: User, now: datetime.datetime
) -> None:
    """Step 2: the booking's price becomes the household's credit (the ledger refuses a
    second credit for the same booking)."""
    child = plan.row.child
    credits.add_credit(
        child.household,
        plan.credit_cents,
        kind=CreditKind.JUSTIFIED_ABSENCE,
        reason=_("Justified absence: %(child)s – %(day)s")
        % {"child": child.first_name, "day": day_label(session)},
        actor=actor,
        booking=plan.row.booking,
        at=now,
    )


def _history_entry(
    plan: Plan, session: Session, actor: User, now: datetime.datetime
) -> HistoryEntry:
    """Step 3: the child's history row, with the booking's price (or the amount due of a
    child present without booking)."""
    row = plan.row
    return history.entry_for(
        child=row.child,
        session=session,
        action=HistoryAction.ATTENDANCE_PRESENT
        if plan.present
        else HistoryAction.ATTENDANCE_ABSENT,
        actor=actor,
        channel=Channel.BACKOFFICE,
        price_cents=row.booking.price_cents if row.booking is not None else plan.charge_cents,
        detail=plan.history_detail,
        at=now,
    )


def _audit_action(
    plan: Plan, session: Session, actor: User, label: str, now: datetime.datetime
) -> StaffAction:
    """Step 4: the staff's audit entry on the household's page."""
    return StaffAction(
        household_id=plan.row.child.household_id,
        actor=actor,
        actor_label=label,
        kind=StaffActionKind.ATTENDANCE,
        summary=_audit_summary(plan, session),
        created_at=now,
    )


def _audit_summary(plan: Plan, session: Session) -> str:
    """The mark given, what it credited or made due, and the mark it replaced."""
    row, child = plan.row, plan.row.child
    mark_labels = dict(Mark.choices)
    name = f"{child.first_name} {child.last_name}"
    summary = of_name(
        name,
        _("Attendance of %(child)s, %(day)s: %(mark)s."),
        pgettext("before a vowel", "Attendance of %(child)s, %(day)s: %(mark)s."),
    ) % {
        "child": name,
        "day": day_label(session),
        "mark": mark_labels[plan.mark],
    }
    if plan.credit_cents:
        summary += " " + _("Price credited: %(amount)s.") % {
            "amount": format_cents(plan.credit_cents)
        }
    if plan.awaiting_decision:
        summary += " " + _("Nothing credited: the certificate awaits a manager's decision.")
    if plan.charge_cents is not None:
        summary += " " + _("Amount due: %(amount)s.") % {"amount": format_cents(plan.charge_cents)}
    if row.mark is not None:
        summary += " " + _("(Was: %(mark)s.)") % {"mark": mark_labels[row.mark]}
    return summary


def _recorded(plan: Plan) -> Recorded:
    """What the caller is told: the mark, whether it changed, the credit or amount due."""
    if plan.noop:
        return Recorded(plan.row.child, plan.mark, False)
    return Recorded(
        plan.row.child,
        plan.mark,
        True,
        plan.credit_cents,
        plan.charge_cents,
        awaiting_decision=plan.awaiting_decision,
    )
