"""The typical week's request and plan: what a parent asks for, and what it does.

A request is a mode (RESERVE or CANCEL), a period and one `Pattern` per child and
activity (the weekdays); a wrong request raises `TypicalWeekInvalid` before anything is
judged. Its plan lists the days that change (`PlanDay`, with the price, and the action:
reserve, cancel, withdraw) and the days skipped with a code (`SkippedDay`); applying a
request no day of which can change raises `NothingToDo`.
"""

import datetime
from dataclasses import dataclass, field

from portail.activities.models import Activity
from portail.families.models import Child

RESERVE = "reserve"
CANCEL = "cancel"
MODES = (RESERVE, CANCEL)

# Skip codes of the calendar; the others are rules.py's refusal codes.
HOLIDAY = "holiday"
NO_SESSION = "no_session"

# What an applicable day does (PlanDay.action).
ACTION_RESERVE = "reserve"  # a new request in the basket (PRE-RESERVATION)
ACTION_CANCEL = "cancel"  # a paid day's cancellation in the basket: a credit once validated
ACTION_WITHDRAW = "withdraw"  # an unpaid request leaves the basket (its place is freed)

# Longest period one request may cover: a school year, with room for a leap day.
MAX_PERIOD_DAYS = 366
FIRST_YEAR = 2000
LAST_YEAR = 2099


@dataclass(frozen=True)
class Pattern:
    """One child's weekdays (Monday = 0) for one activity."""

    child_id: int
    activity_id: int
    weekdays: tuple[int, ...]


class TypicalWeekInvalid(Exception):
    """The request itself is wrong, so nothing was judged: `code` for programs, `message`
    (translated) for people, `field` the input in error ("child_id", "weekdays", "from"...).

    Codes: invalid_mode, invalid_period, period_too_long, no_pattern, duplicate_pattern,
    unknown_child, unknown_activity (none, or one the child was never enrolled in),
    no_booking_required, invalid_weekdays."""

    def __init__(self, code: str, message: str, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PlanDay:
    """A day the typical week books (or cancels), at this price."""

    child: Child
    activity: Activity
    session_id: int
    date: datetime.date
    price_cents: int  # the late price when late; in cancel mode, what was paid
    late: bool
    action: str  # ACTION_RESERVE, ACTION_CANCEL or ACTION_WITHDRAW


@dataclass(frozen=True)
class SkippedDay:
    """A day of the pattern that does not change, and why (code for programs, reason for
    people)."""

    child: Child
    activity: Activity
    date: datetime.date
    code: str
    reason: str
    session_id: int | None = None


@dataclass
class TypicalWeekPlan:
    """What a typical week does (preview) or did (apply), day by day."""

    mode: str
    start: datetime.date
    end: datetime.date
    patterns: list[Pattern]
    days: list[PlanDay] = field(default_factory=list)
    skipped: list[SkippedDay] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        """Reserve mode: what the days add to the basket. Cancel mode: what they take off
        it (the credit of paid days plus the unpaid requests withdrawn)."""
        return sum(day.price_cents for day in self.days)

    @property
    def credit_cents(self) -> int:
        """Cancel mode: the credit (avoir) the cancelled paid days give once validated."""
        return sum(day.price_cents for day in self.days if day.action == ACTION_CANCEL)

    @property
    def late_count(self) -> int:
        return sum(1 for day in self.days if day.late and day.action == ACTION_RESERVE)


class NothingToDo(Exception):
    """Applying found no day that could change; nothing changed. `plan.skipped` says why."""

    def __init__(self, plan: TypicalWeekPlan) -> None:
        super().__init__("No day of this typical week can change")
        self.plan = plan
