"""The staff's audit trail (StaffAction): every back-office action, with its author.

Families never see the staff member's name: their history (reservations.HistoryEntry)
says "Service gestionnaire" for any staff action. Staff see the name here, on the
household's page.
"""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from portail.accounts.models import User
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.families.models import Household

REASON_MAX_LENGTH = 500


def staff_label(user: User) -> str:
    """ "Claire Martin <gestion@example.org>", or the e-mail alone without a name."""
    name = f"{user.first_name} {user.last_name}".strip()
    return f"{name} <{user.email}>" if name else user.email


def log_action(
    *,
    actor: User,
    kind: str,
    summary: str,
    household: Household | None = None,
    reason: str = "",
    at: datetime.datetime | None = None,
) -> StaffAction:
    """Write one row of the audit trail. `summary` says what was done (in the staff's
    language at the time); `reason` why, when the action needs one."""
    if kind not in StaffActionKind.values:
        raise ValueError(f"Unknown staff action {kind!r}")
    return StaffAction.objects.create(
        household=household,
        actor=actor,
        actor_label=staff_label(actor)[:400],
        kind=kind,
        summary=summary,
        reason=(reason or "").strip()[:REASON_MAX_LENGTH],
        created_at=at or timezone.now(),
    )


def for_household(household: Household) -> QuerySet[StaffAction]:
    """The household's staff actions, newest first."""
    return StaffAction.objects.filter(household=household).order_by("-created_at", "-pk")


def journal(*, kind: str = "", start=None, end=None) -> QuerySet[StaffAction]:  # noqa: ANN001
    """The service's actions, newest first: of one kind ("" for all), from `start` to
    `end` (Paris days, both included; None: no limit), with their household."""
    rows = StaffAction.objects.select_related("household").order_by("-created_at", "-pk")
    if kind:
        rows = rows.filter(kind=kind)
    if start is not None:
        rows = rows.filter(created_at__gte=_day_start(start))
    if end is not None:
        rows = rows.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return rows


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
