"""Reopening a closed day as the service gestionnaire (its page, and the admin's action).

billing.reopening.reopen_closed_sessions() does the work under the households' then the
session's locks: the days the closure cancelled stand again where the family has not used
the credit (the credit taken back), the others stay cancelled and credited; the session is
opened. Then, here: the staff's audit trail (the day, and each household concerned), and
one e-mail per household concerned, each guardian in their own language, telling which
days are booked again and which stay credited (kept in "Mes documents").

Refused (nothing changed) for a day that is open: reopening twice does nothing more.
Call it outside transaction.atomic().
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities.models import Session
from portail.backoffice import audit
from portail.backoffice.households import Refused
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.backoffice.sessions import session_label
from portail.billing import reopening
from portail.billing.reopening import KEPT_FULL, ReopenedDay, Reopening
from portail.core.models import Organisation
from portail.core.money import format_cents
from portail.families import messaging
from portail.families.models import Document, Household


def _not_closed() -> Refused:
    return Refused("", _("This day is open: there is nothing to reopen."))


def reopen_session(
    session: Session | int, *, actor: User, now: datetime.datetime | None = None
) -> Reopening:
    """Reopen the closed day (module docstring). Raises Refused for an open day;
    Session.DoesNotExist."""
    now = now or timezone.now()
    session_id = session if isinstance(session, int) else session.pk
    row = Session.objects.select_related("activity__site").get(pk=session_id)
    if row.is_open:
        raise _not_closed()
    reason = row.closed_reason
    result = reopening.reopen_closed_sessions([session_id], actor=actor, now=now)
    if not result.sessions:  # reopened by someone else meanwhile
        raise _not_closed()
    label = session_label(row)
    audit.log_action(
        actor=actor,
        kind=StaffActionKind.SESSION_CHANGED,
        summary=_(
            "%(day)s reopened: %(restored)d booking(s) restored (%(credit)s of credit taken "
            "back), %(kept)d left cancelled and credited."
        )
        % {
            "day": label,
            "restored": len(result.restored),
            "credit": format_cents(result.taken_back_cents),
            "kept": len(result.kept),
        },
        reason=reason,
        at=now,
    )
    _notify(row, reason, result, actor, now)
    return result


def _line(day: ReopenedDay) -> dict:
    return {
        "child": day.child,
        "restored": day.restored is not None,
        "credit": format_cents(day.credit_cents) if day.credit_cents else "",
        "full": day.kept_because == KEPT_FULL,
    }


def _notify(
    session: Session, reason: str, result: Reopening, actor: User, now: datetime.datetime
) -> None:
    if not result.households:
        return
    households = Household.objects.in_bulk(list(result.households))
    organisation = Organisation.current()
    actions = []
    for household_id, days in result.households.items():
        household = households[household_id]

        def write(household=household, days=days) -> tuple[str, str]:  # noqa: ANN001
            context = {
                "household": household,
                "day": session_label(session),
                "reason": reason,
                "days": [_line(day) for day in days],
                "taken_back": format_cents(sum(d.credit_cents for d in days if d.restored)),
                "any_taken_back": any(d.restored and d.credit_cents for d in days),
                "organisation": organisation,
            }
            subject = render_to_string("backoffice/sessions_reopened_email_subject.txt", context)
            body = render_to_string("backoffice/sessions_reopened_email_body.txt", context)
            return subject, body.strip() + "\n"

        messaging.send_to_household_in_languages(
            household, kind=Document.Kind.CLOSURE_NOTICE, write=write
        )
        restored = [d for d in days if d.restored]
        actions.append(
            StaffAction(
                household=household,
                actor=actor,
                actor_label=audit.staff_label(actor)[:400],
                kind=StaffActionKind.SESSION_CHANGED,
                summary=_(
                    "%(day)s reopened: %(restored)d day(s) booked again (%(credit)s of credit "
                    "taken back), %(kept)d left credited; the family was e-mailed."
                )
                % {
                    "day": session_label(session),
                    "restored": len(restored),
                    "credit": format_cents(sum(d.credit_cents for d in restored)),
                    "kept": len(days) - len(restored),
                },
                reason=reason,
                created_at=now,
            )
        )
    StaffAction.objects.bulk_create(actions)
