"""Booking windows as the one judgement sees them (docs/booking-windows.md).

A BookingWindow (activities.models) governs some activities' days over a date range:
- before it opens for the household (`priority_opens_at` for a household with a priority
  criterion, else `opens_at`) its days cannot be booked: rules.judge_add() refuses them
  with the opening's date and time, and the planning shows it;
- with a draw (`draw_minutes` > 0), from the first opening until `opens_at + draw_minutes`
  a family's requests for those days are collected, not served: submit_changes() records
  them as a DrawEntry / DrawRequest (record_draw_requests()) instead of holding places,
  and the day reads "Request registered: draw at 18:10";
- after that window ends and until the draw is made (draws.py, `portail run_draws`, or
  lazily by the first submission), its days wait ("The draw is being made");
- once drawn, or from the opening when there is no draw: first come, first served.

Staff acting for a family (bypass_deadlines) are not held back, as with deadlines.

Facts (facts.py) loads a WindowGate once, on the first day it judges: one query for the
windows still to come, two more only when one of them exists (the household's priority,
its pending requests). Nothing here imports rules.py (rules.py asks this module).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities import config_cache
from portail.activities.models import (
    BookingWindow,
    DrawEntry,
    DrawOutcome,
    DrawRequest,
    HouseholdPriority,
    Session,
)
from portail.families.models import Household

# Refusal codes (rules.Outcome.code) and the operation of a collected request.
NOT_OPEN_YET = "not_open_yet"
DRAW_REQUESTED = "draw_requested"  # this day is already in the household's draw entry
DRAW_IN_PROGRESS = "draw_in_progress"
DRAW_REQUEST = "draw_request"  # rules.Outcome.op: collected for the draw, not served

# A window's phase for one household.
BEFORE = "before"
COLLECTING = "collecting"
DRAWING = "drawing"
OPEN = "open"


def _day_and_time(moment: datetime.datetime) -> dict[str, str]:
    local = timezone.localtime(moment)
    return {
        "date": formats.date_format(local, "d/m"),
        "time": formats.time_format(local, "H:i"),
    }


@dataclass(frozen=True)
class WindowView:
    """A window governing one child's day, as this household meets it."""

    window: BookingWindow
    priority: bool  # the household has a priority criterion
    requested: bool  # this child's day waits in the household's draw entry

    @property
    def opens(self) -> datetime.datetime:
        """When the household may first ask for the day."""
        w = self.window
        return w.priority_opens_at if self.priority and w.priority_opens_at else w.opens_at

    def phase(self, now: datetime.datetime) -> str:
        w = self.window
        if now < self.opens:
            return BEFORE
        if not w.has_draw or w.drawn_at is not None:
            return OPEN
        return COLLECTING if now < w.draw_at else DRAWING


def opens_reason(moment: datetime.datetime) -> str:
    return _("Opens on %(date)s at %(time)s.") % _day_and_time(moment)


def draw_reason(window: BookingWindow) -> str:
    return _("Request registered: draw at %(time)s.") % _day_and_time(window.draw_at)


def refusal(view: WindowView, now: datetime.datetime) -> tuple[str, str] | None:
    """(code, reason) when the window refuses to take this day now, else None."""
    phase = view.phase(now)
    if phase == BEFORE:
        return NOT_OPEN_YET, opens_reason(view.opens)
    if phase == COLLECTING and view.requested:
        return DRAW_REQUESTED, draw_reason(view.window)
    if phase == DRAWING:
        return DRAW_IN_PROGRESS, _("The draw is being made: try again in a moment.")
    return None


def collecting(view: WindowView, now: datetime.datetime) -> bool:
    """Is a request for this day collected for the draw rather than served?"""
    return view.phase(now) == COLLECTING


def upcoming(stamp: str | None = None) -> list[BookingWindow]:
    """The windows that may still act on a day: governing days from today on, and not
    drawn yet or not open yet. One query (two when there is one: their activities); none
    when the process read every window under this configuration stamp (config_cache.py)."""
    today, now = timezone.localdate(), timezone.now()
    if stamp is None:
        return list(
            BookingWindow.objects.filter(last_day__gte=today)
            .filter(Q(drawn_at__isnull=True) | Q(opens_at__gt=now))
            .prefetch_related("activities")
            .order_by("opens_at", "pk")
        )
    return _still_to_come(config_cache.kept("windows", stamp, _every_window), today, now)


def upcoming_as_last_kept() -> list[BookingWindow] | None:
    """upcoming() from what this process last kept (config_cache.latest()), without a
    query; None when nothing is kept. Possibly out of date: a window changed since by
    another process is missed, and its days are then judged under the current stamp."""
    every = config_cache.latest("windows")
    if every is None:
        return None
    return _still_to_come(every, timezone.localdate(), timezone.now())  # type: ignore[arg-type]


def _still_to_come(
    every: list[BookingWindow], today: datetime.date, now: datetime.datetime
) -> list[BookingWindow]:
    return [w for w in every if w.last_day >= today and (w.drawn_at is None or w.opens_at > now)]


def _every_window() -> list[BookingWindow]:
    return list(BookingWindow.objects.prefetch_related("activities").order_by("opens_at", "pk"))


def _pending(windows: list[BookingWindow]) -> Q:
    return Q(entry__window__in=[w.pk for w in windows if w.has_draw and w.drawn_at is None])


@dataclass
class WindowGate:
    """The windows still to come and this household's standing in them."""

    windows: list[BookingWindow]
    priority: bool = False
    requested: set[tuple[int, int]] = field(default_factory=set)  # (child_id, session_id)

    @classmethod
    def load(cls, household: Household, stamp: str | None = None) -> "WindowGate":
        windows = upcoming(stamp)
        gate = cls(windows)
        if not windows:
            return gate
        gate.priority = HouseholdPriority.objects.filter(household=household).exists()
        if any(w.has_draw and w.drawn_at is None for w in windows):
            gate.requested = set(
                DrawRequest.objects.filter(
                    _pending(windows),
                    entry__household=household,
                    outcome=DrawOutcome.PENDING,
                )
                .order_by()
                .values_list("child_id", "session_id")
            )
        return gate

    def window_of(self, session: Session) -> BookingWindow | None:
        for window in self.windows:
            if window.governs(session.activity_id, session.date):
                return window
        return None

    def view(self, child_id: int, session: Session) -> WindowView | None:
        window = self.window_of(session)
        if window is None:
            return None
        return WindowView(window, self.priority, (child_id, session.pk) in self.requested)


def record_draw_requests(
    household: Household, judgement, *, actor: User, channel: str, now: datetime.datetime
) -> int:
    """Take the collected requests (op DRAW_REQUEST) out of `judgement.accepted` and record
    them in the household's draw entries (basket.py calls it under the household's lock).
    Returns how many were recorded."""
    collected = [a for a in judgement.accepted if a.outcome.op == DRAW_REQUEST]
    if not collected:
        return 0
    judgement.accepted[:] = [a for a in judgement.accepted if a.outcome.op != DRAW_REQUEST]
    gate = WindowGate(upcoming(judgement.config_stamp))  # what the judgement read
    entries: dict[int, DrawEntry] = {}
    rows = []
    for accepted in collected:
        window = gate.window_of(accepted.session)
        assert window is not None  # judged as collected a moment ago, same transaction
        if window.pk not in entries:
            entries[window.pk], _created = DrawEntry.objects.get_or_create(
                window=window, household=household, defaults={"created_at": now}
            )
        rows.append(
            DrawRequest(
                entry=entries[window.pk],
                child_id=accepted.child.pk,
                session_id=accepted.session.pk,
                asked_by=actor,
                channel=channel,
                asked_at=now,
            )
        )
    DrawRequest.objects.bulk_create(rows)
    return len(rows)


def household_entries(household: Household) -> list[DrawEntry]:
    """The household's draw entries, latest window first, with their requests."""
    return list(
        DrawEntry.objects.filter(household=household)
        .select_related("window")
        .prefetch_related("requests__child", "requests__session__activity")
        .order_by("-window__opens_at", "-pk")
    )


def entry_counts(window_ids: list[int]) -> dict[int, int]:
    """How many households entered each of these windows' draws."""
    counts: dict[int, int] = {}
    for window_id in DrawEntry.objects.filter(window_id__in=window_ids).values_list(
        "window_id", flat=True
    ):
        counts[window_id] = counts.get(window_id, 0) + 1
    return counts
