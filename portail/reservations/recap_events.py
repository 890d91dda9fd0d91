"""The recap's rows from a child's history and attendance: one row per event.

The history (reservations.history) writes one row per step: a request entering the
basket, then its confirmation when the basket is paid or validated; a cancellation asked,
then validated; each attendance mark and each correction. Read per day, in order, these
steps fold into the events a parent cares about (EVENTS):

- requested: a reservation asked ("Ajout : RESERVATION"). When its basket is paid or
  validated the same row becomes `booked`, with how (paid online, at the counter...) and
  when, if that was later; a request removed unpaid (withdrawn, basket cancelled or
  expired, not confirmed) keeps its row and a `request_removed` row follows
  ("Suppression : RESERVATION", with who removed it and why), as in the seed.
- booked: a booking confirmed (a request paid or validated, or added as such).
- cancellation_requested: a cancellation asked ("Suppression : RESERVATION"). Once its
  basket is validated the same row becomes `cancelled`, with the credit it gave; one
  withdrawn keeps its row and a `cancellation_withdrawn` row follows ("Ajout :
  RESERVATION": the booking stands).
- cancelled: a booking cancelled (a cancellation validated, or the day closed by the
  service), with its credit.
- present / absent: the day's attendance, one row with the last mark (a correction
  replaces the mark, and says so); absent ticks the "Non utilisé" column, and a
  justified absence shows its credit.

Two queries whatever the number of rows: the history, and the attendance marks (for a day
marked with no attendance history, as older data may be).
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from portail.reservations.models import (
    ActorKind,
    Attendance,
    Channel,
    HistoryAction,
    HistoryDetail,
    HistoryEntry,
)

REQUESTED = "requested"
BOOKED = "booked"
REQUEST_REMOVED = "request_removed"
CANCELLATION_REQUESTED = "cancellation_requested"
CANCELLED = "cancelled"
CANCELLATION_WITHDRAWN = "cancellation_withdrawn"
PRESENT = "present"
ABSENT = "absent"
EVENTS = (
    REQUESTED,
    BOOKED,
    REQUEST_REMOVED,
    CANCELLATION_REQUESTED,
    CANCELLED,
    CANCELLATION_WITHDRAWN,
    PRESENT,
    ABSENT,
)

ADD, REMOVE = HistoryAction.ADD_RESERVATION, HistoryAction.REMOVE_RESERVATION
ATTENDANCE = {HistoryAction.ATTENDANCE_PRESENT, HistoryAction.ATTENDANCE_ABSENT}
# A request entering the basket: asked by the family or staff, or a place offered from
# the waiting list (reservations.waiting), held until its basket is validated.
REQUEST_STARTED = {HistoryDetail.REQUESTED, HistoryDetail.WAITING_OFFER}
# How a request was confirmed (billing.settlement, checkout, counter).
CONFIRMED = {
    HistoryDetail.PAID,
    HistoryDetail.VALIDATED,
    HistoryDetail.PAID_AT_COUNTER,
    HistoryDetail.LATE_PAYMENT,
    HistoryDetail.BOOKED_INVOICED,
}
# Why a request left unconfirmed (reservations.basket and holds, billing.settlement).
REQUEST_ENDED = {
    HistoryDetail.WITHDRAWN,
    HistoryDetail.BASKET_DROPPED,
    HistoryDetail.BASKET_EXPIRED,
    HistoryDetail.NOT_CONFIRMED,
    HistoryDetail.OFFER_EXPIRED,
    HistoryDetail.OFFER_DECLINED,
}
CANCELLATION_VALIDATED = {
    HistoryDetail.CANCELLATION_VALIDATED,
    HistoryDetail.CANCELLED_NOT_INVOICED,
}
CANCELLATION_ENDED = {
    HistoryDetail.CANCELLATION_WITHDRAWN,
    HistoryDetail.CANCELLATION_NOT_APPLIED,
}
CLOSED = {HistoryDetail.SESSION_CLOSED, HistoryDetail.CLOSED_NOT_INVOICED}
# The events whose price became the household's credit.
CREDITED = {
    HistoryDetail.CANCELLATION_VALIDATED,
    HistoryDetail.SESSION_CLOSED,
    HistoryDetail.JUSTIFIED_ABSENCE,
}

_FIELDS = (
    "session_id",
    "session__date",
    "session__activity__name",
    "session__activity__start_time",
    "action",
    "actor_kind",
    "actor_label",
    "created_at",
    "channel",
    "price_cents",
    "detail",
)


def _who(actor_kind: str, actor_label: str, cache: dict[tuple[str, str], str]) -> str:
    """HistoryEntry.who (the one definition), computed once per distinct actor."""
    key = (actor_kind, actor_label)
    if key not in cache:
        cache[key] = HistoryEntry(actor_kind=actor_kind, actor_label=actor_label).who
    return cache[key]


class _Day:
    """What is still open on one day while its history is read: the row of a request or
    of a cancellation waiting for its basket, and the day's attendance row."""

    __slots__ = ("attendance", "cancellation", "request")

    def __init__(self) -> None:
        self.request: dict | None = None
        self.cancellation: dict | None = None
        self.attendance: dict | None = None


class _Builder:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.days: dict[int, _Day] = {}
        self.who_cache: dict[tuple[str, str], str] = {}
        self.paris = timezone.get_current_timezone()

    def new_row(self, entry: dict, event: str, **values: Any) -> dict:
        row = {**entry, "event": event, "absent": None, "credit_cents": None}
        row["validated_at"] = None
        row["pending"] = False
        row.update(values)
        self.rows.append(row)
        return row

    def read(self, values: tuple) -> None:
        (
            session_id,
            day,
            activity,
            start_time,
            action,
            actor_kind,
            actor_label,
            created_at,
            channel,
            price_cents,
            detail,
        ) = values
        entry = {
            "session_id": session_id,
            "date": day,
            "activity": activity,
            "start_time": start_time,
            "action": action,
            "who": _who(actor_kind, actor_label, self.who_cache),
            "when": timezone.localtime(created_at, self.paris),
            "channel": channel,
            "price_cents": price_cents,
            "detail": detail,
        }
        state = self.days.setdefault(session_id, _Day())
        if action in ATTENDANCE:
            self.attendance(state, entry)
        elif action == ADD:
            self.added(state, entry)
        else:
            self.removed(state, entry)

    def attendance(self, state: _Day, entry: dict) -> None:
        """The day's one attendance row: a later mark (a correction, a justified absence
        decided) replaces the earlier one."""
        absent = entry["action"] == HistoryAction.ATTENDANCE_ABSENT
        credit = entry["price_cents"] if entry["detail"] in CREDITED and absent else None
        values = {
            "event": ABSENT if absent else PRESENT,
            "absent": absent,
            "credit_cents": credit,
        }
        if state.attendance is None:
            state.attendance = self.new_row(entry, **values)
        else:
            state.attendance.update(entry, **values)

    def added(self, state: _Day, entry: dict) -> None:
        detail = entry["detail"]
        if detail in REQUEST_STARTED:
            state.request = self.new_row(entry, REQUESTED, pending=True)
        elif detail in CANCELLATION_ENDED:
            if state.cancellation is not None:
                state.cancellation["pending"] = False
                state.cancellation = None
            self.new_row(entry, CANCELLATION_WITHDRAWN)
        elif state.request is not None and detail in CONFIRMED:
            row, state.request = state.request, None
            row.update(
                event=BOOKED,
                pending=False,
                detail=detail,
                price_cents=entry["price_cents"],
                validated_at=_later(entry["when"], row["when"]),
            )
        else:
            self.new_row(entry, BOOKED)

    def removed(self, state: _Day, entry: dict) -> None:
        detail = entry["detail"]
        if detail == HistoryDetail.CANCELLATION_REQUESTED:
            state.cancellation = self.new_row(entry, CANCELLATION_REQUESTED, pending=True)
            return
        credit = entry["price_cents"] if detail in CREDITED else None
        if state.cancellation is not None and detail in CANCELLATION_VALIDATED:
            row, state.cancellation = state.cancellation, None
            row.update(
                event=CANCELLED,
                pending=False,
                detail=detail,
                price_cents=entry["price_cents"],
                credit_cents=credit,
                validated_at=_later(entry["when"], row["when"]),
            )
            return
        if state.request is not None and detail not in CANCELLATION_VALIDATED | CLOSED:
            state.request["pending"] = False
            state.request = None
            self.new_row(entry, REQUEST_REMOVED)
            return
        if state.cancellation is not None:  # the day closed while a cancellation waited
            state.cancellation["pending"] = False
            state.cancellation = None
        event = REQUEST_REMOVED if detail in REQUEST_ENDED else CANCELLED
        self.new_row(entry, event, credit_cents=credit)

    def unrecorded_marks(self, marks: list[tuple]) -> None:
        """A day marked with no attendance history still shows its mark."""
        staff = HistoryEntry(actor_kind=ActorKind.STAFF).who
        system = HistoryEntry(actor_kind=ActorKind.SYSTEM).who
        for session_id, day, activity, start_time, present, recorded_by, at in marks:
            state = self.days.setdefault(session_id, _Day())
            if state.attendance is not None:
                continue
            entry = {
                "session_id": session_id,
                "date": day,
                "activity": activity,
                "start_time": start_time,
                "action": HistoryAction.ATTENDANCE_PRESENT
                if present
                else HistoryAction.ATTENDANCE_ABSENT,
                "who": system if recorded_by is None else staff,
                "when": timezone.localtime(at, self.paris),
                "channel": Channel.BACKOFFICE,
                "price_cents": None,
                "detail": "",
            }
            self.attendance(state, entry)


def _later(confirmed: datetime.datetime, asked: datetime.datetime) -> datetime.datetime | None:
    """When the confirmation came, if not in the minute the request was asked."""
    if confirmed.replace(second=0, microsecond=0) == asked.replace(second=0, microsecond=0):
        return None
    return confirmed


def build_rows(child_id: int, sessions_filter: dict, make: Callable[..., Any]) -> list:
    """The recap's rows (built by `make`, RecapRow) of the child's days matching
    `sessions_filter` (session__... lookups), by day, activity start time, then when."""
    entries = (
        HistoryEntry.objects.filter(child_id=child_id, **sessions_filter)
        .order_by("session__date", "session__activity__start_time", "created_at", "pk")
        .values_list(*_FIELDS)
    )
    builder = _Builder()
    for values in entries:
        builder.read(values)
    marks = Attendance.objects.filter(child_id=child_id, **sessions_filter).values_list(
        "session_id",
        "session__date",
        "session__activity__name",
        "session__activity__start_time",
        "present",
        "recorded_by_id",
        "recorded_at",
    )
    builder.unrecorded_marks(list(marks))
    rows = builder.rows
    rows.sort(key=lambda row: (row["date"], row["start_time"], row["session_id"], row["when"]))
    return [
        make(
            date=row["date"],
            activity=row["activity"],
            action=row["action"],
            who=row["who"],
            when=row["when"],
            channel=row["channel"],
            price_cents=row["price_cents"],
            detail=row["detail"],
            absent=row["absent"],
            event=row["event"],
            credit_cents=row["credit_cents"],
            validated_at=row["validated_at"],
            pending=row["pending"],
        )
        for row in rows
    ]
