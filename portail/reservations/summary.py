"""A basket's contents: its lines as the pages, the API and the PDF show them.

What draws a basket's lines (basket_table.py, basket_pdf.py) needs nothing above
reservations. The totals with the credit applied are billing's: billing.quote.summarize()
gives a BasketSummary, these contents plus those totals, from the same rows.
"""

import datetime
import unicodedata
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from portail.activities.models import Activity
from portail.families.models import Child
from portail.reservations.models import Attendance, Basket, BasketLine
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus


@dataclass(frozen=True)
class SummaryLine:
    line: BasketLine
    kind: str  # "reservation" (PRE-RESERVATION, +1) | "cancellation" (ANNULATION, -1)
    child: Child
    activity: Activity
    date: datetime.date
    start: datetime.time
    end: datetime.time
    quantity: int
    unit_price_cents: int
    total_cents: int  # quantity × unit price: negative for a cancellation
    late: bool
    # Invoiced after the fact (Booking.invoiced): shown at its price, but nothing is paid
    # for it in the basket, and its cancellation credits nothing.
    invoiced: bool = False
    # A place offered from the waiting list: held until then (reservations.waiting).
    offer_expires_at: datetime.datetime | None = None


@dataclass
class BasketContents:
    """The basket's lines, in the page's order: what its tables and its PDF draw.
    billing.quote.BasketSummary adds the totals with the credit applied."""

    basket: Basket
    lines: list[SummaryLine]


def line_facts(lines: QuerySet) -> QuerySet:
    """`lines` (BasketLine rows) annotated with what the totals need of each: the status of
    its booking (`booking_status`), whether its booking is invoiced after the fact
    (`invoiced`: it costs nothing in the basket) and whether attendance was recorded on
    its day (`attended`). summary_rows() reads them along with the rest of each line."""
    attended = Attendance.objects.filter(
        child_id=OuterRef("child_id"), session_id=OuterRef("session_id")
    )
    return lines.annotate(
        attended=Exists(attended),
        booking_status=F("booking__status"),
        invoiced=F("booking__invoiced"),
    )


def summary_rows(basket: Basket) -> list[BasketLine]:
    """The basket's lines in the page's order (day, start time, child), with their child,
    day, activity, line_facts() and the end of a waiting-list offer in one query."""
    return sorted(lines_with_facts(basket), key=page_order)


def lines_with_facts(basket: Basket) -> list[BasketLine]:
    """The basket's lines, unordered, as summary_rows() reads them (one query)."""
    offer = WaitingListEntry.objects.filter(
        booking_id=OuterRef("booking_id"), status=WaitingStatus.OFFERED
    ).values("offer_expires_at")[:1]
    return list(
        line_facts(
            BasketLine.objects.filter(basket_id=basket.pk).select_related(
                "child", "session__activity"
            )
        )
        .annotate(offer_expires_at=Subquery(offer))
        .order_by()
    )


def page_order(row: BasketLine) -> tuple:
    """A line's place in the basket's tables: by day, start time, child (as a dictionary
    sorts names: "Émile" before "Lise", whatever the database's collation), then as written."""
    name = row.child.first_name
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    return (row.session.date, row.session.activity.start_time, plain, name, row.pk)


def summary_line(row: BasketLine) -> SummaryLine:
    """One line of summary_rows() as the pages show it."""
    return SummaryLine(
        line=row,
        kind=row.kind,
        child=row.child,
        activity=row.session.activity,
        date=row.session.date,
        start=row.session.activity.start_time,
        end=row.session.activity.end_time,
        quantity=row.quantity,
        unit_price_cents=row.unit_price_cents,
        total_cents=row.total_cents,
        late=row.late,
        invoiced=row.invoiced,
        offer_expires_at=getattr(row, "offer_expires_at", None),
    )


def basket_contents(basket: Basket) -> BasketContents:
    """The basket's lines, without its totals (one query)."""
    return BasketContents(basket=basket, lines=[summary_line(row) for row in summary_rows(basket)])
