"""The one writer of the history ("Type d'action" in the seed's PDF).

When rows are written in the pre-reservation flow (the seed shows "Ajout : RESERVATION"
rows written by the parent, before any payment):
- "Ajout : RESERVATION" (add_reservation) when a reservation request enters the basket,
  at the price asked (the late price when late);
- "Suppression : RESERVATION" (remove_reservation) when a request leaves the basket
  unpaid (withdrawn, basket cancelled, basket expired), and when a cancellation of a
  reserved booking is asked, at the price that was paid;
- "Ajout : RESERVATION" again, detail "cancellation withdrawn", when an asked cancellation
  leaves the basket without being validated (withdrawn, dropped, expired): the booking
  stands again.
Read in order, the rows of a child's day therefore always end with the action matching
what the day is (or is about to be once the basket is paid). Payment and validation are
the checkout issue's; attendance and closures will add their own action codes.
"""

import datetime

from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Session
from portail.families.models import Child
from portail.reservations.models import ActorKind, HistoryEntry


def actor_kind(actor: User | None) -> str:
    if actor is None:
        return ActorKind.SYSTEM
    return ActorKind.STAFF if actor.is_staff else ActorKind.GUARDIAN


def record(
    *,
    child: Child | int,
    session: Session | int,
    action: str,
    actor: User | None,
    channel: str,
    price_cents: int | None = None,
    detail: str = "",
    at: datetime.datetime | None = None,
) -> HistoryEntry:
    """Write one history row. `actor` None means the portal itself (channel "system").

    The actor's e-mail is copied so the row still says who acted if the login goes away.
    """
    entry = entry_for(
        child=child,
        session=session,
        action=action,
        actor=actor,
        channel=channel,
        price_cents=price_cents,
        detail=detail,
        at=at,
    )
    entry.save(force_insert=True)
    return entry


def record_many(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Write rows built by entry_for() in one statement (a typical week writes hundreds)."""
    return HistoryEntry.objects.bulk_create(entries)


def entry_for(
    *,
    child: Child | int,
    session: Session | int,
    action: str,
    actor: User | None,
    channel: str,
    price_cents: int | None = None,
    detail: str = "",
    at: datetime.datetime | None = None,
) -> HistoryEntry:
    """The row record() would write, unsaved (for record_many)."""
    return HistoryEntry(
        child_id=child if isinstance(child, int) else child.pk,
        session_id=session if isinstance(session, int) else session.pk,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_kind=actor_kind(actor),
        actor_label=actor.email if actor is not None else "",
        channel=channel,
        price_cents=price_cents,
        detail=detail,
        created_at=at or timezone.now(),
    )
