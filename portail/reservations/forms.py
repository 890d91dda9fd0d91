"""Parsing what the planning page sends: the week asked for and the blocks ticked.

Nothing here touches the database: the values are checked for shape only, then
`reservations.basket.submit_changes` re-checks every rule (the browser is never trusted).
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.reservations.judging import Change

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
# Weeks a family may look at: wide enough for any school year, narrow enough that date
# arithmetic (previous/next week) never overflows.
FIRST_YEAR = 2000
LAST_YEAR = 2099

ACTIONS = ("reserve", "cancel", "undo_request")
# A planning week holds a few dozen blocks; more values than this is not a browser.
MAX_CHANGES = 500
# Database ids are 64-bit integers; longer digit strings cannot be ids.
MAX_ID_DIGITS = 18


def week_code(monday: datetime.date) -> str:
    """2026-W49: the ISO week that holds `monday`."""
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def parse_week(value: str) -> datetime.date | None:
    """The Monday of an ISO week written 2026-W49, or None when it is not a real week."""
    match = WEEK_RE.match(value.strip().upper())
    if not match:
        return None
    year, week = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return datetime.date.fromisocalendar(year, week, 1)
    except ValueError:  # week 00, or week 53 of a 52-week year
        return None


def parse_day(value: str) -> datetime.date | None:
    """A date written YYYY-MM-DD (what <input type="date"> sends), or None."""
    try:
        day = datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return None
    return day


@dataclass(frozen=True)
class WeekChoice:
    """The Monday to show, and why the one asked for could not be shown (if so)."""

    monday: datetime.date
    error: str = ""


def choose_week(params, today: datetime.date | None = None) -> WeekChoice:
    """The week asked by `?week=2026-W49` or `?date=2026-12-09`; else the current week.

    A value that is not a real week gives the current week and a message, never an error page.
    """
    current = monday_of(today or timezone.localdate())
    week = (params.get("week") or "").strip()
    day = (params.get("date") or "").strip()
    if week:
        monday = parse_week(week)
        if monday is None:
            return WeekChoice(
                current, str(_("This week does not exist; here is the current week."))
            )
        return WeekChoice(monday)
    if day:
        parsed = parse_day(day)
        if parsed is None:
            return WeekChoice(current, str(_("This date is not valid; here is the current week.")))
        return WeekChoice(monday_of(parsed))
    return WeekChoice(current)


@dataclass(frozen=True)
class ParsedChange:
    action: str
    child_id: int
    session_id: int

    @property
    def value(self) -> str:
        return f"{self.action}:{self.child_id}:{self.session_id}"

    @property
    def change(self) -> Change:
        return Change(child_id=self.child_id, session_id=self.session_id)


def _positive_id(text: str) -> int | None:
    if not text.isascii() or not text.isdigit() or len(text) > MAX_ID_DIGITS:
        return None
    number = int(text)
    return number if number > 0 else None


def parse_change(value: str) -> ParsedChange | None:
    """`reserve:12:345` (action, child id, session id), or None when malformed."""
    parts = value.split(":")
    if len(parts) != 3 or parts[0] not in ACTIONS:
        return None
    child_id, session_id = _positive_id(parts[1]), _positive_id(parts[2])
    if child_id is None or session_id is None:
        return None
    return ParsedChange(parts[0], child_id, session_id)


class ChangesForm(forms.Form):
    """The ticked blocks of the planning: `change=<action>:<child_id>:<session_id>`, repeated.

    Reservations go to `add`; cancellations of a booking and withdrawals of a request go to
    `cancel` (the service tells them apart by the booking's state).
    """

    def __init__(self, data, *args, **kwargs) -> None:
        super().__init__(data, *args, **kwargs)
        self.raw_values: list[str] = data.getlist("change") if data is not None else []
        self.parsed: list[ParsedChange] = []
        self.malformed = False

    def clean(self) -> dict:
        cleaned = super().clean()
        values = self.raw_values
        if not values:
            raise forms.ValidationError(
                _("Tick at least one block before submitting."), code="empty"
            )
        if len(values) > MAX_CHANGES:
            self.malformed = True
            raise forms.ValidationError(
                _("Too many changes at once; submit at most %(max)d.") % {"max": MAX_CHANGES},
                code="too_many",
            )
        parsed: list[ParsedChange] = []
        seen: set[tuple[int, int]] = set()
        for value in values:
            change = parse_change(value)
            if change is None:
                self.malformed = True
                raise forms.ValidationError(
                    _("The changes sent are not valid; nothing was changed. Please try again."),
                    code="malformed",
                )
            key = (change.child_id, change.session_id)
            if key in seen:
                if change in parsed:
                    continue  # the same tick sent twice: harmless
                self.malformed = True
                raise forms.ValidationError(
                    _("One block was asked for two different changes; nothing was changed."),
                    code="conflict",
                )
            seen.add(key)
            parsed.append(change)
        self.parsed = parsed
        return cleaned

    @property
    def additions(self) -> list[Change]:
        return [c.change for c in self.parsed if c.action == "reserve"]

    @property
    def cancellations(self) -> list[Change]:
        return [c.change for c in self.parsed if c.action != "reserve"]

    @property
    def checked_values(self) -> set[str]:
        """What the parent ticked, to tick it again when the page comes back with errors."""
        return {c.value for c in self.parsed} or set(self.raw_values)
