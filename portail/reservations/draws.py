"""A booking window's draw: the collected requests served in a published random order.

At the end of the draw window (BookingWindow.draw_at) the households that asked are put
in order by `random.Random(window.seed)` over the list of their ids in increasing order:
the priority households first (a household with a priority criterion when the draw is
made), shuffled among themselves, then the others, shuffled. The order is reproducible
from the seed, which staff see, and written on each DrawEntry (rank, priority).

Then each household in that order gets the days it asked for that still have room, as
any booking: basket.submit_available() with the guardian who asked as the actor and the
channel "system", so the days are held in the household's basket (a normal hold: the
family then pays) and every rule and the history apply. A day refused (full, closed...)
goes on its waiting list (reservations/waiting.py), in draw order, when it is full;
else it is "not given", with its reason.

run_draw() is idempotent and safe to run from two places at once: it locks the window's
row, and does nothing once `drawn_at` is set. The whole draw is one transaction: nobody
books a governed day between the order and the last household served (the judgement
says "the draw is being made" until it commits). `portail run_draws` runs every due draw
(every minute from cron); the first submission after the end runs them too (settle_due).
Once the draw is committed, each household that asked is e-mailed its rank and what it
was given (draw_mail.py).
"""

import datetime
import random

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.activities.models import (
    BookingWindow,
    DrawEntry,
    DrawOutcome,
    DrawRequest,
    HouseholdPriority,
)
from portail.core.locking import locked
from portail.families.models import Guardian, Household
from portail.reservations import draw_mail, rules, waiting, windows
from portail.reservations.basket import submit_available
from portail.reservations.judging import Change
from portail.reservations.models import Channel


def draw_order(seed: str, household_ids: list[int], priority: set[int]) -> list[int]:
    """The households in draw order: priority ones first, each group shuffled by the seed
    over the ids in increasing order (the same seed and households: the same order)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible by design, not a secret)
    ids = sorted(set(household_ids))
    first = [h for h in ids if h in priority]
    rest = [h for h in ids if h not in priority]
    rng.shuffle(first)
    rng.shuffle(rest)
    return first + rest


def due_windows(now: datetime.datetime) -> list[int]:
    """The windows whose draw window has ended and that are not drawn yet."""
    candidates = BookingWindow.objects.filter(
        drawn_at__isnull=True, draw_minutes__gt=0, opens_at__lte=now
    ).order_by("opens_at", "pk")
    return [w.pk for w in candidates if w.draw_at <= now]


def settle_due(now: datetime.datetime | None = None, *, known_only: bool = False) -> None:
    """Run the draws that are due. Outside any transaction only (a draw locks many
    households, which must not happen inside another household's submission): nothing
    there.

    `known_only` (a submission, before its transaction): look only at the windows this
    process keeps in memory (windows.upcoming_as_last_kept(), no query). A window changed
    since by another process is missed there, but not by the judgement, which reads the
    windows under the current configuration stamp: a day whose draw is due is refused
    with DRAW_IN_PROGRESS, and the submission then calls settle_due() and judges again
    (basket.py)."""
    if transaction.get_connection().in_atomic_block:
        return
    now = now or timezone.now()
    found = windows.upcoming_as_last_kept() if known_only else windows.upcoming()
    for window in found or ():
        if window.has_draw and window.drawn_at is None and window.draw_at <= now:
            run_draw(window.pk, now=now)


def run_draw(window_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Draw this window's requests and serve them in order. False when there was nothing
    to do (drawn already, no draw, or not due yet)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = locked(BookingWindow.objects.filter(pk=window_id))
        if not rows:
            return False
        window = rows[0]
        if window.drawn_at is not None or not window.has_draw or now < window.draw_at:
            return False
        entries = {e.household_id: e for e in window.entries.order_by("household_id")}
        # Every household served is locked now, before any session: the usual order
        # (households, then sessions), so a family submitting meanwhile waits at its
        # household's lock holding nothing the draw needs.
        locked(Household.objects.filter(pk__in=list(entries)))
        priority = set(
            HouseholdPriority.objects.filter(household_id__in=list(entries))
            .order_by()
            .values_list("household_id", flat=True)
        )
        order = draw_order(window.seed, list(entries), priority)
        for rank, household_id in enumerate(order, start=1):
            entries[household_id].rank = rank
            entries[household_id].priority = household_id in priority
        DrawEntry.objects.bulk_update(list(entries.values()), ["rank", "priority"])
        window.drawn_at = now
        window.save(update_fields=["drawn_at"])
        for household_id in order:
            _serve(entries[household_id], now)
    # Once committed: each household learns its rank and what it was given.
    draw_mail.notify_draw(window.pk)
    return True


def _actor(entry: DrawEntry, requests: list[DrawRequest]):  # noqa: ANN202
    """Who the days are booked for: the guardian who asked, if still one of the household,
    else another guardian of it."""
    guardians = Guardian.objects.filter(household_id=entry.household_id).select_related("user")
    users = {g.user_id: g.user for g in guardians}
    for request in requests:
        if request.asked_by_id in users:
            return users[request.asked_by_id]
    return next(iter(users.values()), None)


def _serve(entry: DrawEntry, now: datetime.datetime) -> None:
    """Give this household the days it asked for that still have room."""
    requests = list(entry.requests.order_by("session__date", "child_id", "pk"))
    if not requests:
        return
    actor = _actor(entry, requests)
    given: set[tuple[int, int]] = set()
    refused: dict = {}
    if actor is not None:
        try:
            _basket, judgement = submit_available(
                entry.household,
                add=[Change(r.child_id, r.session_id) for r in requests],
                cancel=[],
                actor=actor,
                channel=Channel.SYSTEM,
                now=now,
            )
        except PermissionDenied:
            judgement = None
        if judgement is not None:
            given = {(a.child.pk, a.session.pk) for a in judgement.accepted}
            refused = {(r.child_id, r.session_id): r for r in judgement.refusals}
    for request in requests:
        key = (request.child_id, request.session_id)
        if key in given:
            request.outcome = DrawOutcome.GIVEN
        elif key in refused and refused[key].code == rules.FULL:
            _wait(entry, request, actor, now)
        else:
            request.outcome = DrawOutcome.NOT_GIVEN
            request.reason = refused[key].reason[:300] if key in refused else ""
    DrawRequest.objects.bulk_update(requests, ["outcome", "reason"])


def _wait(entry: DrawEntry, request: DrawRequest, actor, now: datetime.datetime) -> None:  # noqa: ANN001
    """A full day goes on the waiting list (reservations/waiting.py), in draw order."""
    try:
        joined = waiting.join(
            entry.household,
            child_id=request.child_id,
            session_id=request.session_id,
            actor=actor,
            channel=Channel.SYSTEM,
            now=now,
        )
    except waiting.WaitingRefused as refused:
        request.outcome = DrawOutcome.NOT_GIVEN
        request.reason = refused.message[:300]
        return
    request.outcome = DrawOutcome.WAITING_LIST
    request.reason = _("Rank %(rank)s on the waiting list.") % {"rank": joined.rank}
