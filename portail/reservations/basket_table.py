"""The basket's lines as its pages draw them: one row per line, money and times written out.

Used by the parents' basket page (billing.views) and its ANNULER page (views.py), and by
the staff's booking page.
"""

import datetime
import math
from dataclasses import dataclass

from portail.core.money import format_cents
from portail.families.models import Child
from portail.reservations.models import LineKind
from portail.reservations.summary import BasketContents


def child_name(child: Child) -> str:
    """As the seed's basket writes it: last name then first name ("PAGES-TEST Emy")."""
    return f"{child.last_name} {child.first_name}"


@dataclass
class BasketRow:
    status: str
    activity: str
    child: str
    date: datetime.date
    time: str
    quantity: int
    price: str
    total: str
    late: bool
    invoiced: bool = False  # invoiced after the fact: its price is not paid with the basket
    # A place offered from the waiting list (reservations.waiting): held until then.
    offer_until: datetime.datetime | None = None


def basket_rows(summary: BasketContents) -> list[BasketRow]:
    """The table's rows; a place offered from a waiting list says until when it is held
    (the line's offer_expires_at, read with the lines: summary.summary_rows)."""
    return [
        BasketRow(
            status=str(LineKind(line.kind).label),
            activity=line.activity.name,
            child=child_name(line.child),
            date=line.date,
            time=line.start.strftime("%H:%M"),
            quantity=line.quantity,
            price=format_cents(line.unit_price_cents),
            total=format_cents(line.total_cents),
            late=line.late,
            invoiced=line.invoiced,
            offer_until=line.offer_expires_at,
        )
        for line in summary.lines
    ]


def minutes_left(expires_at: datetime.datetime, now: datetime.datetime) -> int:
    """Whole minutes before the places are released, rounded up (never 0 while open)."""
    return max(1, math.ceil((expires_at - now).total_seconds() / 60))
