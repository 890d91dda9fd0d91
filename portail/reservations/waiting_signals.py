"""A day reopened by the service (activities.calendar.sessions_reopened, sent once the
reopening has committed): its places go to its waiting list first (waiting.py)."""

from typing import Any

from portail.activities import calendar
from portail.reservations.waiting import catch_up


def offer_reopened(sender: Any, sessions: list[Any], **kwargs: Any) -> None:
    catch_up([session.pk for session in sessions])


def connect() -> None:
    # Sent by activities.calendar.reopen_sessions() (engineer "closures"'s signal).
    signal = getattr(calendar, "sessions_reopened", None)
    if signal is not None:
        signal.connect(offer_reopened, dispatch_uid="waiting_list_reopened")
