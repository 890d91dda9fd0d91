"""The parent's planning page ("Réservations") and basket page ("Contenu du panier").

Thin views: the week and every block's state come from `planning.week_planning`, changes
go through `basket.submit_changes` (channel "web"), which re-checks every rule. The
planning is a plain HTML form (one checkbox per block that can change), so it works fully
without JavaScript; planning.js only adds the live list of pending changes and their total.
"""

import datetime
import functools
import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.billing import credits
from portail.billing.pages import checkout_offer, payment_in_progress
from portail.core.money import format_cents
from portail.core.views import LEGEND
from portail.families.models import Child, Household
from portail.families.views import guardian_household
from portail.reservations.basket import (
    BasketSummary,
    Change,
    ChangesRefused,
    Refusal,
    drop_basket,
    open_basket,
    submit_changes,
    summarize,
)
from portail.reservations.basket_pdf import pdf_filename, pdf_kind, render_basket_pdf
from portail.reservations.forms import ChangesForm, ParsedChange, choose_week, week_code
from portail.reservations.models import BasketStatus, Channel, LineKind
from portail.reservations.planning import PlanningCell, WeekPlanning, week_planning
from portail.reservations.states import LATE_LABEL, CellAction, CellState

# The time axis: 07:00 at the earliest, extended to the earliest start and latest end of
# the week's activities; one grid row per quarter of an hour.
AXIS_START_HOUR = 7
AXIS_MIN_END_HOUR = 14
SLOT_MINUTES = 15
HEADER_ROWS = 2  # day names, then children's first names

PLANNING_TEMPLATE = "reservations/planning.html"


def guardian_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and a guardian of a household (else a 403 page).

    Sets request.household: every query of these pages is scoped to it.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        household = guardian_household(request)
        if household is None:
            return render(request, "families/no_household.html", status=403)
        request.household = household  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


# --- the planning's layout ------------------------------------------------------------


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def _hhmm(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _day_name(day: datetime.date) -> str:
    """The day as "lundi 7 décembre" (French) or "Monday 7 December" (English)."""
    return dateformat.format(day, "l j F")


def child_name(child: Child) -> str:
    """As the seed's basket writes it: last name then first name ("PAGES-TEST Emy")."""
    return f"{child.last_name} {child.first_name}"


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


@dataclass
class DayColumn:
    date: datetime.date
    name: str
    grid_column: str
    children: list[ChildColumn]


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


def _lanes(cells: list[PlanningCell]) -> list[int]:
    """Side-by-side lanes so that overlapping blocks of one child never cover each other."""
    ends: list[int] = []  # the end (minutes) of the last block in each lane
    lanes = []
    for cell in cells:
        start = _minutes(cell.start)
        for index, end in enumerate(ends):
            if end <= start:
                ends[index] = _minutes(cell.end)
                lanes.append(index)
                break
        else:
            ends.append(_minutes(cell.end))
            lanes.append(len(ends) - 1)
    return lanes


def _action_delta(cell: PlanningCell) -> int:
    """Ticking a block adds its price when it books (or keeps) a day, removes it otherwise."""
    price = cell.price_cents or 0
    return price if cell.change_kind == "add" else -price


ACTION_LABELS = {
    CellAction.RESERVE: CellAction.RESERVE.label,
    CellAction.CANCEL: CellAction.CANCEL.label,
    CellAction.UNDO_REQUEST: CellAction.UNDO_REQUEST.label,
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
    details = [state_label]
    if cell.late:
        details.append(late_label)
    if price:
        details.append(price)
    if reason:
        details.append(reason.strip().rstrip("."))
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
    )
    if cell.editable and cell.action:
        block.value = f"{cell.action}:{cell.child_id}:{cell.session_id}"
        block.action_label = str(ACTION_LABELS.get(cell.action, cell.action))
        block.delta_cents = _action_delta(cell)
    return block


def build_layout(planning: WeekPlanning) -> Layout:
    """Place every block on a grid: one column (or more, when blocks overlap) per child and
    day, one row per quarter of an hour. Days without any activity are left out."""
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
    for day in planning.days:
        day_start = column
        children = []
        for child in planning.children:
            cells = planning.cells_for(day, child.pk)
            lanes = _lanes(cells)
            width = max(lanes, default=0) + 1
            blocks = []
            for cell, lane in zip(cells, lanes, strict=True):
                start_row = row(_minutes(cell.start))
                end_row = max(
                    start_row + 1,
                    HEADER_ROWS + 1 + math.ceil((_minutes(cell.end) - origin) / SLOT_MINUTES),
                )
                block = _block(cell, child, f"{start_row} / {end_row}", column + lane)
                blocks.append(block)
                layout.blocks[(cell.child_id, cell.session_id)] = block
            children.append(ChildColumn(child, f"{column} / {column + width}", blocks))
            column += width
        layout.days.append(DayColumn(day, _day_name(day), f"{day_start} / {column}", children))
    layout.columns = column - 2
    return layout


def week_label(start: datetime.date, end: datetime.date) -> str:
    """The week as the seed writes it ("17 – 23 avril 2023"), across months and years."""
    if start.year != end.year:
        return f"{dateformat.format(start, 'j F Y')} – {dateformat.format(end, 'j F Y')}"
    if start.month != end.month:
        return f"{dateformat.format(start, 'j F')} – {dateformat.format(end, 'j F Y')}"
    return f"{start.day} – {dateformat.format(end, 'j F Y')}"


# --- the planning page ----------------------------------------------------------------


@dataclass
class PageErrors:
    """What went wrong with a submission, for the message at the top of the page."""

    summary: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)  # (message, target id or "")


def _render_planning(
    request: HttpRequest,
    household: Household,
    monday: datetime.date,
    *,
    planning: WeekPlanning | None = None,
    week_error: str = "",
    errors: PageErrors | None = None,
    refusals: Sequence[Refusal] = (),
    checked: Collection[str] = frozenset(),
    status: int = 200,
) -> HttpResponse:
    planning = planning or week_planning(household, monday)
    layout = build_layout(planning)
    errors = errors or PageErrors()
    for block in layout.blocks.values():
        block.checked = bool(block.value) and block.value in checked
    for refusal in refusals:
        block = layout.blocks.get((refusal.child_id, refusal.session_id))
        if block is not None:
            # Unticked, so that submitting again sends the other changes only.
            block.error, block.checked = refusal.message, False
        errors.items.append((refusal.message, block.target_id if block else ""))
    today = timezone.localdate()
    previous_monday = planning.start - datetime.timedelta(days=7)
    next_monday = planning.start + datetime.timedelta(days=7)
    basket = open_basket(household)
    context = {
        "planning": planning,
        "layout": layout,
        "week": planning.week,
        "week_label": week_label(planning.start, planning.end),
        "previous_week": week_code(previous_monday),
        "next_week": week_code(next_monday),
        "this_week": week_code(today),
        "is_this_week": planning.start <= today <= planning.end,
        "week_error": week_error,
        "errors": errors,
        "has_editable": any(b.value for b in layout.blocks.values()),
        "open_basket": basket,
        "legend": LEGEND,
        "late_label": LATE_LABEL,
        "undo_label": CellAction.UNDO_REQUEST.label,
        "zero_total": format_cents(0),
    }
    return render(request, PLANNING_TEMPLATE, context, status=status)


def _split_changes(
    parsed: list[ParsedChange], planning: WeekPlanning
) -> tuple[list[Change], list[Change], list[Refusal]]:
    """The `add` and `cancel` lists for submit_changes(), and the changes refused here.

    "reserve" always adds and "cancel" always cancels (the service judges them). "Undo"
    depends on what it undoes: withdrawing a request cancels it, withdrawing a cancellation
    adds the day back; it is only accepted on a block whose page state is still current,
    since guessing wrong could cancel a paid day."""
    cells = {(c.child_id, c.session_id): c for c in planning.cells}
    add: list[Change] = []
    cancel: list[Change] = []
    refused: list[Refusal] = []
    for change in parsed:
        if change.action == CellAction.RESERVE:
            add.append(change.change)
        elif change.action == CellAction.CANCEL:
            cancel.append(change.change)
        else:
            cell = cells.get((change.child_id, change.session_id))
            if cell is None or cell.action != CellAction.UNDO_REQUEST:
                refused.append(
                    Refusal(
                        change.child_id,
                        change.session_id,
                        "changed",
                        _("This block changed since the page was shown; check it and try again."),
                    )
                )
            elif cell.change_kind == "add":
                add.append(change.change)
            else:
                cancel.append(change.change)
    return add, cancel, refused


@require_http_methods(["GET", "HEAD", "POST"])
@guardian_required
def planning_page(request: HttpRequest) -> HttpResponse:
    """GET: the week's planning. POST: submit the ticked blocks, then go to the basket."""
    household: Household = request.household  # type: ignore[attr-defined]
    if request.method != "POST":
        choice = choose_week(request.GET)
        return _render_planning(request, household, choice.monday, week_error=choice.error)

    choice = choose_week(request.POST if request.POST.get("week") else request.GET)
    form = ChangesForm(request.POST)
    if not form.is_valid():
        return _render_planning(
            request,
            household,
            choice.monday,
            week_error=choice.error,
            errors=PageErrors(summary=" ".join(form.non_field_errors())),
            checked=set() if form.malformed else form.checked_values,
            status=400 if form.malformed else 200,
        )
    current = week_planning(household, choice.monday)
    add, cancel, refused = _split_changes(form.parsed, current)
    nothing_changed = _("Nothing was changed. Please correct these blocks and submit again:")
    if refused:
        return _render_planning(
            request,
            household,
            choice.monday,
            planning=current,
            errors=PageErrors(summary=nothing_changed),
            refusals=refused,
            checked=form.checked_values,
        )
    try:
        basket = submit_changes(
            household, add=add, cancel=cancel, actor=request.user, channel=Channel.WEB
        )
    except ChangesRefused as refusal:
        return _render_planning(
            request,
            household,
            choice.monday,
            errors=PageErrors(summary=nothing_changed),
            refusals=refusal.refusals,
            checked=form.checked_values,
        )
    if basket.status == BasketStatus.OPEN:
        messages.success(request, _("Your changes are in the basket: check them below."))
    else:
        messages.success(request, _("Your changes were made; nothing is left in the basket."))
    return redirect("reservations:basket")


# --- the basket page ------------------------------------------------------------------


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


def basket_rows(summary: BasketSummary) -> list[BasketRow]:
    return [
        BasketRow(
            status=str(LineKind(line.kind).label),
            activity=line.activity.name,
            child=child_name(line.child),
            date=line.date,
            time=_hhmm(line.start),
            quantity=line.quantity,
            price=format_cents(line.unit_price_cents),
            total=format_cents(line.total_cents),
            late=line.late,
        )
        for line in summary.lines
    ]


def minutes_left(expires_at: datetime.datetime, now: datetime.datetime) -> int:
    """Whole minutes before the places are released, rounded up (never 0 while open)."""
    return max(1, math.ceil((expires_at - now).total_seconds() / 60))


@require_http_methods(["GET", "HEAD"])
@guardian_required
def basket_page(request: HttpRequest) -> HttpResponse:
    """The open basket ("Contenu du panier"): its lines, totals, credit and hold time, and
    PAYER or OK (portail.billing.pages says which); a payment in progress on PayFiP is
    told above it, with the way back to PayFiP's page while that page lives."""
    household: Household = request.household  # type: ignore[attr-defined]
    now = timezone.now()
    in_progress = payment_in_progress(household, now=now)
    basket = open_basket(household, now=now)
    if basket is None:
        return render(
            request,
            "reservations/basket.html",
            {
                "basket": None,
                "in_progress": in_progress,
                "credit_available_cents": credits.available_cents(household),
            },
        )
    summary = summarize(basket)
    has_cancellations = any(line.kind == LineKind.CANCELLATION for line in summary.lines)
    has_reservations = any(line.kind == LineKind.RESERVATION for line in summary.lines)
    offer = checkout_offer(summary)
    context = {
        "basket": basket,
        "summary": summary,
        "rows": basket_rows(summary),
        "has_reservations": has_reservations,
        "has_cancellations": has_cancellations,
        "reservations_total": format_cents(summary.reservations_total_cents),
        "cancellations_total": format_cents(summary.cancellations_total_cents),
        "credit_available": format_cents(summary.credit_available_cents),
        "credit_applied": format_cents(-summary.credit_applied_cents),
        "amount_due": format_cents(summary.amount_due_cents),
        "credit_left": format_cents(offer.credit_left_cents),
        "offer": offer,
        "in_progress": in_progress,
        "expires_at": timezone.localtime(basket.expires_at),
        "minutes_left": minutes_left(basket.expires_at, now),
        "late_label": LATE_LABEL,
    }
    return render(request, "reservations/basket.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@guardian_required
def basket_cancel(request: HttpRequest) -> HttpResponse:
    """ANNULER: GET asks for confirmation, POST drops the basket and releases its places."""
    household: Household = request.household  # type: ignore[attr-defined]
    if request.method == "POST":
        if drop_basket(household, actor=request.user, channel=Channel.WEB):
            messages.success(
                request, _("The basket was cancelled: its places are released for others.")
            )
        else:
            messages.info(request, _("There was no basket to cancel (it may have expired)."))
        return redirect("reservations:basket")
    basket = open_basket(household)
    if basket is None:
        return redirect("reservations:basket")
    summary = summarize(basket)
    return render(
        request,
        "reservations/basket_cancel.html",
        {"basket": basket, "rows": basket_rows(summary)},
    )


@require_http_methods(["GET", "HEAD"])
@guardian_required
def basket_pdf(request: HttpRequest) -> HttpResponse:
    """The seed's "Télécharger le détail": the basket's lines and totals as a PDF, all of
    them, or only the reservations (?kind=reservations) or the cancellations
    (?kind=cancellations)."""
    household: Household = request.household  # type: ignore[attr-defined]
    try:
        kind = pdf_kind(request.GET.get("kind"))
    except ValueError:
        messages.error(request, _("This download does not exist."))
        return redirect("reservations:basket")
    basket = open_basket(household)
    if basket is None:
        messages.info(request, _("Your basket is empty."))
        return redirect("reservations:basket")
    summary = summarize(basket)
    if kind is not None and not any(line.kind == kind for line in summary.lines):
        messages.info(request, _("Your basket has no such line."))
        return redirect("reservations:basket")
    pdf = render_basket_pdf(basket, summary, household, kind=kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(basket, kind)}"'
    return response
