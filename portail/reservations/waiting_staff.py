"""Staff and the waiting list (see waiting.py): move an entry (a reason required, kept in
the list's history), offer a place to an entry now ("Réserver pour cette famille")."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities.models import Session
from portail.core.locking import locked
from portail.reservations.waiting import (
    NOT_FOUND,
    WaitingRefused,
    _event,
    offer_freed_places,
    rank_of,
    waiting_entries,
)
from portail.reservations.waiting_models import WaitingListEntry

REASON_REQUIRED = "reason_required"
BAD_RANK = "bad_rank"
NO_PLACE = "no_place"


def _checked_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WaitingRefused(REASON_REQUIRED, _("Give the reason for this change."))
    return reason[:500]


def _move(entry: WaitingListEntry, to_rank: int, reason: str, actor: User, now) -> None:  # noqa: ANN001
    entries = waiting_entries(entry.session_id)
    ids = [e.pk for e in entries]
    if entry.pk not in ids:
        raise WaitingRefused(NOT_FOUND, _("This entry is no longer waiting."))
    if not 1 <= to_rank <= len(ids):
        raise WaitingRefused(
            BAD_RANK, _("The rank must be between 1 and %(count)d.") % {"count": len(ids)}
        )
    from_rank = ids.index(entry.pk) + 1
    ids.remove(entry.pk)
    ids.insert(to_rank - 1, entry.pk)
    for position, pk in enumerate(ids, start=1):
        WaitingListEntry.objects.filter(pk=pk).update(position=position, updated_at=now)
    _event(entry, "moved", actor=actor, at=now, reason=reason, from_rank=from_rank, to_rank=to_rank)


def move(
    entry_id: int,
    to_rank: int,
    *,
    reason: str,
    actor: User,
    now: datetime.datetime | None = None,
) -> WaitingListEntry:
    """Move a waiting entry to rank `to_rank` (1 = first), for `reason`."""
    now = now or timezone.now()
    reason = _checked_reason(reason)
    with transaction.atomic():
        entry = WaitingListEntry.objects.filter(pk=entry_id).first()
        if entry is None:
            raise WaitingRefused(NOT_FOUND, _("No such waiting-list entry."))
        locked(Session.objects.filter(pk=entry.session_id))
        entry.refresh_from_db()
        _move(entry, to_rank, reason, actor, now)
        # Moved first on a day with a place free (an offer was waiting for a busy household).
        offer_freed_places([entry.session_id], now=now)
    entry.refresh_from_db()
    entry.rank = rank_of(entry)
    return entry


def offer_now(
    entry_id: int,
    *,
    reason: str,
    actor: User,
    now: datetime.datetime | None = None,
) -> WaitingListEntry:
    """ "Réserver pour cette famille": the entry goes first and is offered the free place
    at once (held in the family's basket as any offer). WaitingRefused "no_place" when no
    place is free (raise the capacity first)."""
    now = now or timezone.now()
    reason = _checked_reason(reason)
    with transaction.atomic():
        entry = WaitingListEntry.objects.filter(pk=entry_id).first()
        if entry is None:
            raise WaitingRefused(NOT_FOUND, _("No such waiting-list entry."))
        locked(Session.objects.filter(pk=entry.session_id))
        entry.refresh_from_db()
        _move(entry, 1, reason, actor, now)
        made = offer_freed_places([entry.session_id], now=now)
        if entry.pk not in {e.pk for e in made}:
            raise WaitingRefused(NO_PLACE, _("No place is free on this day for this family."))
    entry.refresh_from_db()
    return entry
