"""The planning's grid: where each block of the week sits, and what it says.

One column per child and day, one row per quarter of an hour (blocks that overlap share
their time span, one under the other, in time order: a column stays wide enough for its
words); each block carries its state, price, reason and accessible name, and for a block
that can change, the checkbox's value and what ticking it adds to the changes' total.
changes_summary() gives the running total of the ticked blocks with the credit that the
basket will apply (as billing.quote does).
The parents' planning page and the staff's booking page draw the same grid
(reservations/_planning_grid.html); each child's column of blocks is written in Python
(planning_markup.py: a week has dozens of blocks, each saying a lot).
"""

import datetime
import math
from dataclasses import dataclass, field

from django.utils import dateformat, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portail.activities.models import BillingMode
from portail.core.money import format_cents
from portail.families.models import Child
from portail.reservations.planning import PlanningCell, WeekPlanning
from portail.reservations.planning_markup import GridTexts, column_html, grid_texts
from portail.reservations.states import (
    INVOICED_LATER_LABEL,
    LATE_LABEL,
    ON_ATTENDANCE_LABEL,
    CellAction,
    CellState,
)

# The time axis: 07:00 at the earliest, extended to the earliest start and latest end of
# the week's activities; one grid row per quarter of an hour.
AXIS_START_HOUR = 7
AXIS_MIN_END_HOUR = 14
SLOT_MINUTES = 15
HEADER_ROWS = 2  # day names, then children's first names


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _hhmm(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _day_name(day: datetime.date) -> str:
    """The day as "lundi 7 décembre" (French) or "Monday 7 December" (English)."""
    return dateformat.format(day, "l j F")


@dataclass
class Block:
    """One child's activity on one day, as the page draws it."""

    cell: PlanningCell
    child: Child
    state_label: str
    price: str  # formatted, "" when there is none
    reason: str  # shown under the state, "" when it adds nothing
    sentence: str  # the block's accessible name
    summary: str  # "Emy, lundi 7 décembre, Restauration Scolaire Malves"
    grid_row: str
    grid_column: int
    value: str = ""  # the checkbox's value, for a block that can change
    action_label: str = ""
    delta_cents: int = 0  # what ticking it adds to (or takes from) the changes' total
    checked: bool = False
    error: str = ""
    billing: str = ""  # "Invoiced later" / "Invoiced on attendance"; "" when prepaid
    until: str = ""  # "Bookable until Tue 12/01 at 10:00"; "" without an action
    few_places: str = ""  # "Only 3 places left" when few are left and it can be booked
    # The waiting list (reservations/waiting_views.py): "join:<child>:<session>" on a full
    # block, "leave:..." on a block waiting; "" otherwise.
    waitlist: str = ""
    waitlist_label: str = ""

    @property
    def dom_id(self) -> str:
        return f"cell-{self.cell.child_id}-{self.cell.session_id}"

    @property
    def input_id(self) -> str:
        return f"change-{self.cell.child_id}-{self.cell.session_id}"

    @property
    def error_id(self) -> str:
        return f"error-{self.cell.child_id}-{self.cell.session_id}"

    @property
    def target_id(self) -> str:
        """Where a message about this block links to: its checkbox, else the block."""
        return self.input_id if self.value else self.dom_id

    @property
    def state_class(self) -> str:
        return f"state--{self.cell.state}" + (" state--late" if self.cell.late else "")

    @property
    def times(self) -> str:
        return f"{_hhmm(self.cell.start)} – {_hhmm(self.cell.end)}"

    @property
    def delta_text(self) -> str:
        sign = "+" if self.delta_cents > 0 else ""
        return sign + format_cents(self.delta_cents)


@dataclass
class ChildColumn:
    child: Child
    grid_column: str
    blocks: list[Block]
    day_name: str = ""
    texts: GridTexts | None = field(default=None, repr=False)

    @property
    def markup(self) -> SafeString:
        """The column's HTML: the child's name and its blocks, as they stand when the
        template asks (ticked and refused by the view by then)."""
        return column_html(self, self.day_name, self.texts or grid_texts())


@dataclass
class DayColumn:
    date: datetime.date
    name: str
    grid_column: str
    children: list[ChildColumn]
    anchor: str = ""  # the day heading's id, "day-1" (the phone's day links point to it)
    previous: "DayColumn | None" = None
    next: "DayColumn | None" = None


@dataclass
class HourMark:
    label: str
    grid_row: str


@dataclass
class Layout:
    days: list[DayColumn]
    hours: list[HourMark]
    columns: int  # grid columns after the time axis
    rows: int  # time rows after the header rows
    blocks: dict[tuple[int, int], Block] = field(default_factory=dict)


def _clusters(cells: list[PlanningCell]) -> list[list[int]]:
    """The indexes of the cells that overlap in time, grouped (cells in time order)."""
    order = sorted(range(len(cells)), key=lambda i: (cells[i].start, cells[i].end))
    clusters: list[list[int]] = []
    end = -1
    for index in order:
        if clusters and _minutes(cells[index].start) < end:
            clusters[-1].append(index)
            end = max(end, _minutes(cells[index].end))
        else:
            clusters.append([index])
            end = _minutes(cells[index].end)
    return clusters


def _action_delta(cell: PlanningCell) -> int:
    """Ticking a block adds its price when it books (or keeps) a day, removes it otherwise;
    nothing for a day invoiced later (nothing is paid or credited in the basket)."""
    if cell.invoiced_later:
        return 0
    price = cell.price_cents or 0
    return price if cell.change_kind == "add" else -price


ACTION_LABELS = {
    CellAction.RESERVE: CellAction.RESERVE.label,
    CellAction.CANCEL: CellAction.CANCEL.label,
    CellAction.UNDO_REQUEST: CellAction.UNDO_REQUEST.label,
}


def _billing_label(cell: PlanningCell) -> str:
    """How the block's day is paid, in words, when it is not prepaid."""
    if cell.state in (CellState.CLOSED, CellState.NOT_ENROLLED, CellState.CANCELLED):
        return ""
    if cell.invoiced_later:
        return str(INVOICED_LATER_LABEL)
    if cell.billing_mode == BillingMode.ON_ATTENDANCE:
        return str(ON_ATTENDANCE_LABEL)
    return ""


# Below this many places left, a bookable block says how many remain.
FEW_PLACES = 5


def _moment(moment: datetime.datetime) -> str:
    """ "mar. 12/01 à 10:00" / "Tue 12/01 at 10:00"."""
    local = timezone.localtime(moment)
    return _("%(day)s at %(time)s") % {
        "day": dateformat.format(local, "D d/m"),
        "time": local.strftime("%H:%M"),
    }


def _until_text(cell: PlanningCell) -> str:
    if cell.until is None:
        return ""
    when = _moment(cell.until)
    if cell.action == CellAction.RESERVE:
        if cell.late:
            return _("Bookable at the late price until %(when)s") % {"when": when}
        return _("Bookable until %(when)s") % {"when": when}
    return _("Can be cancelled until %(when)s") % {"when": when}


def _few_places_text(cell: PlanningCell) -> str:
    if cell.action != CellAction.RESERVE or cell.places_left is None:
        return ""
    if not 0 < cell.places_left <= FEW_PLACES:
        return ""
    return ngettext("Only %(n)d place left", "Only %(n)d places left", cell.places_left) % {
        "n": cell.places_left
    }


def _block(cell: PlanningCell, child: Child, grid_row: str, grid_column: int) -> Block:
    state_label = str(CellState(cell.state).label)
    price = format_cents(cell.price_cents) if cell.price_cents is not None else ""
    late_label = str(LATE_LABEL)
    # The reason is shown when it says more than the state (or the late label) already does.
    said = {state_label.casefold(), late_label.casefold(), ""}
    reason = cell.reason if cell.reason.strip().rstrip(".").casefold() not in said else ""
    summary = _("%(child)s, %(day)s, %(activity)s") % {
        "child": child.first_name,
        "day": _day_name(cell.date),
        "activity": cell.activity,
    }
    billing = _billing_label(cell)
    details = [state_label]
    if cell.late:
        details.append(late_label)
    if price:
        details.append(price)
    if billing:
        details.append(billing)
    if reason:
        details.append(reason.strip().rstrip("."))
    until = _until_text(cell)
    few_places = _few_places_text(cell)
    details += [text for text in (few_places, until) if text]
    details.append(f"{_hhmm(cell.start)}–{_hhmm(cell.end)}")
    block = Block(
        cell=cell,
        child=child,
        state_label=state_label,
        price=price,
        reason=reason,
        sentence=_("%(block)s: %(details)s") % {"block": summary, "details": ", ".join(details)},
        summary=summary,
        grid_row=grid_row,
        grid_column=grid_column,
        billing=billing,
        until=until,
        few_places=few_places,
    )
    if cell.editable and cell.action:
        block.value = f"{cell.action}:{cell.child_id}:{cell.session_id}"
        block.action_label = str(ACTION_LABELS.get(cell.action, cell.action))
        block.delta_cents = _action_delta(cell)
    if cell.state in (CellState.FULL, CellState.WAITING_LIST):
        join = cell.state == CellState.FULL
        block.waitlist = f"{'join' if join else 'leave'}:{cell.child_id}:{cell.session_id}"
        block.waitlist_label = _("Join the waiting list") if join else _("Leave the waiting list")
    return block


def build_layout(planning: WeekPlanning) -> Layout:
    """Place every block on a grid: one column per child and day, one row per quarter of
    an hour. Days without any activity are left out."""
    starts = [_minutes(c.start) for c in planning.cells]
    ends = [_minutes(c.end) for c in planning.cells]
    first_hour = min([AXIS_START_HOUR, *(s // 60 for s in starts)])
    last_hour = max([AXIS_MIN_END_HOUR, *(math.ceil(e / 60) for e in ends)])
    last_hour = min(last_hour, 24)
    origin = first_hour * 60

    def row(minutes: int) -> int:
        return HEADER_ROWS + 1 + (minutes - origin) // SLOT_MINUTES

    layout = Layout(
        days=[],
        hours=[
            HourMark(
                f"{hour:02d}:00",
                f"{row(hour * 60)} / span {60 // SLOT_MINUTES}",
            )
            for hour in range(first_hour, last_hour)
        ],
        columns=0,
        rows=(last_hour - first_hour) * 60 // SLOT_MINUTES,
    )
    column = 2  # column 1 is the time axis
    texts = grid_texts()
    for day in planning.days:
        day_start = column
        day_name = _day_name(day)
        children = []
        for child in planning.children:
            cells = planning.cells_for(day, child.pk)
            rows: dict[int, str] = {}
            for cluster in _clusters(cells):
                first = row(min(_minutes(cells[i].start) for i in cluster))
                last = (
                    HEADER_ROWS
                    + 1
                    + math.ceil(
                        (max(_minutes(cells[i].end) for i in cluster) - origin) / SLOT_MINUTES
                    )
                )
                last = max(last, first + len(cluster))
                # Overlapping blocks share the span, one under the other (their times are
                # written on them).
                for place, index in enumerate(cluster):
                    top = first + (last - first) * place // len(cluster)
                    bottom = first + (last - first) * (place + 1) // len(cluster)
                    rows[index] = f"{top} / {bottom}"
            blocks = []
            for index, cell in enumerate(cells):
                block = _block(cell, child, rows[index], column)
                blocks.append(block)
                layout.blocks[(cell.child_id, cell.session_id)] = block
            blocks.sort(key=lambda b: (b.cell.start, b.cell.end))
            children.append(ChildColumn(child, f"{column} / {column + 1}", blocks, day_name, texts))
            column += 1
        number = len(layout.days) + 1
        layout.days.append(
            DayColumn(day, day_name, f"{day_start} / {column}", children, f"day-{number}")
        )
    for before, after in zip(layout.days, layout.days[1:], strict=False):
        before.next, after.previous = after, before
    layout.columns = column - 2
    return layout


def week_label(start: datetime.date, end: datetime.date) -> str:
    """The week as the seed writes it ("17 – 23 avril 2023"), across months and years."""
    if start.year != end.year:
        return f"{dateformat.format(start, 'j F Y')} – {dateformat.format(end, 'j F Y')}"
    if start.month != end.month:
        return f"{dateformat.format(start, 'j F')} – {dateformat.format(end, 'j F Y')}"
    return f"{start.day} – {dateformat.format(end, 'j F Y')}"


@dataclass(frozen=True)
class ChangesSummary:
    """The ticked changes' running total, with the credit the basket will apply to it:
    credit used = min(credit, total), left to pay = the rest (billing.quote's rule)."""

    count: int
    total_cents: int  # what the ticked changes add (negative: they give credit back)
    credit_cents: int  # the credit these changes can use (reservations.credit_hook)

    @property
    def credit_used_cents(self) -> int:
        return min(self.credit_cents, max(0, self.total_cents))

    @property
    def due_cents(self) -> int:
        return max(0, self.total_cents) - self.credit_used_cents

    @property
    def count_text(self) -> str:
        if self.count == 0:
            return _("No change")
        return ngettext("%(count)d change", "%(count)d changes", self.count) % {"count": self.count}

    @property
    def total_text(self) -> str:
        return format_cents(self.total_cents)

    @property
    def credit_used_text(self) -> str:
        return format_cents(self.credit_used_cents)

    @property
    def due_text(self) -> str:
        return format_cents(self.due_cents)


def changes_summary(layout: Layout, credit_cents: int) -> ChangesSummary:
    """The summary of the blocks ticked on `layout` (block.checked set by the view)."""
    ticked = [block for block in layout.blocks.values() if block.value and block.checked]
    return ChangesSummary(
        count=len(ticked),
        total_cents=sum(block.delta_cents for block in ticked),
        credit_cents=max(0, credit_cents),
    )
