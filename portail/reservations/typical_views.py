"""The planning's "Type" mode: the typical week page (/planning/type/).

One URL, three steps, all plain HTML forms (nothing needs JavaScript):
1. GET: one generic week per child (its activities by weekday, the remembered typical
   week ticked), the period (from / to, with defaults) and the mode (reserve or cancel);
2. GET with step=preview: what it gives, before anything changes (days with their price,
   late prices, days skipped with the reason, the total), and a confirmation form;
3. POST (CSRF): everything judged again under the lock and put in the basket in one step,
   then the basket page.
Thin views: the rules are reservations.typical_week's (and through it basket.py's).
"""

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portail.activities.models import Activity, Enrolment
from portail.core.money import format_cents
from portail.families.guardians import guardian_required
from portail.families.models import Child, Household
from portail.reservations import rules, typical_plan
from portail.reservations import typical_week as tw
from portail.reservations.basket_table import child_name
from portail.reservations.models import Channel
from portail.reservations.states import LATE_LABEL, CellState

FORM_TEMPLATE = "reservations/typical_week.html"
PREVIEW_TEMPLATE = "reservations/typical_week_preview.html"

# More ticks than every weekday of a large family's activities is not a browser.
MAX_TICKS = 200
MAX_ID_DIGITS = 18

# The skip codes as people read them (the planning's words where it has them).
SKIP_LABELS = {
    typical_plan.HOLIDAY: gettext_lazy("Holiday"),
    typical_plan.NO_SESSION: gettext_lazy("No session"),
    rules.CLOSED: CellState.CLOSED.label,
    rules.FULL: CellState.FULL.label,
    rules.ALREADY_RESERVED: gettext_lazy("Already booked"),
    rules.NOT_RESERVED: CellState.NOT_RESERVED.label,
    rules.DEADLINE_PASSED: gettext_lazy("Deadline passed"),
    rules.NOT_ENROLLED: CellState.NOT_ENROLLED.label,
    rules.LOCKED: CellState.LOCKED.label,
    rules.NO_PRICE: gettext_lazy("No price"),
}


# --- reading the form ----------------------------------------------------------------------


@dataclass
class Choice:
    """What the parent asked for, as sent (kept to fill the form again)."""

    ticked: set[str] = field(default_factory=set)  # "child:activity:weekday"
    start_text: str = ""
    end_text: str = ""
    mode: str = typical_plan.RESERVE
    patterns: list[typical_plan.Pattern] = field(default_factory=list)
    start: datetime.date | None = None
    end: datetime.date | None = None
    expected: int | None = None  # days the preview showed (sent back with the confirmation)
    errors: dict[str, str] = field(default_factory=dict)  # field -> message

    def query(self) -> str:
        """The query string that shows this choice again (form or preview)."""
        pairs = [("day", value) for value in sorted(self.ticked)]
        pairs += [("from", self.start_text), ("to", self.end_text), ("mode", self.mode)]
        return urlencode(pairs)


def _positive_id(text: str) -> int | None:
    if not text.isascii() or not text.isdigit() or len(text) > MAX_ID_DIGITS:
        return None
    number = int(text)
    return number if number > 0 else None


def parse_date(text: str) -> datetime.date | None:
    """YYYY-MM-DD (what a date field sends) or DD/MM/YYYY (typed by hand); else None."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a plain date
        except ValueError:
            continue
        if typical_plan.FIRST_YEAR <= day.year <= typical_plan.LAST_YEAR:
            return day
    return None


def read_choice(data: QueryDict) -> Choice:
    """The ticked weekdays, the period and the mode, checked for shape (the service checks
    the rest: whose children, which activities, which weekdays)."""
    choice = Choice(
        start_text=(data.get("from") or "").strip()[:20],
        end_text=(data.get("to") or "").strip()[:20],
        mode=(data.get("mode") or typical_plan.RESERVE).strip(),
    )
    values = data.getlist("day")
    by_key: dict[tuple[int, int], set[int]] = {}
    malformed = len(values) > MAX_TICKS
    for value in values[:MAX_TICKS]:
        parts = value.split(":")
        ids = [_positive_id(p) for p in parts[:2]] if len(parts) == 3 else [None]
        weekday = parts[2] if len(parts) == 3 else ""
        if None in ids or weekday not in {"0", "1", "2", "3", "4", "5", "6"}:
            malformed = True
            continue
        choice.ticked.add(value)
        by_key.setdefault((ids[0], ids[1]), set()).add(int(weekday))
    choice.patterns = [
        typical_plan.Pattern(child_id, activity_id, tuple(sorted(days)))
        for (child_id, activity_id), days in sorted(by_key.items())
    ]
    if malformed:
        choice.errors["days"] = _("Some ticked days were not understood; check them again.")
    elif not choice.patterns:
        choice.errors["days"] = _("Tick at least one weekday.")
    if choice.mode not in typical_plan.MODES:
        choice.errors["mode"] = _("Choose to reserve or to cancel these days.")
        choice.mode = typical_plan.RESERVE
    choice.start = parse_date(choice.start_text)
    choice.end = parse_date(choice.end_text)
    for name, text, day in (
        ("from", choice.start_text, choice.start),
        ("to", choice.end_text, choice.end),
    ):
        if not text:
            choice.errors[name] = _("Enter a date.")
        elif day is None:
            choice.errors[name] = _("Enter a real date, for example 15/01/2027.")
    expected = data.get("expected", "")
    choice.expected = int(expected) if expected.isascii() and expected.isdigit() else None
    return choice


def _invalid(choice: Choice, error: typical_plan.TypicalWeekInvalid) -> Choice:
    """Report the service's refusal of the request on the form's field."""
    name = {"from": "from", "to": "to", "mode": "mode"}.get(error.field, "days")
    choice.errors[name] = error.message
    return choice


# --- the form page -------------------------------------------------------------------------


@dataclass
class WeekCell:
    weekday: int
    value: str = ""  # the checkbox value; "" when the activity does not run that day
    checked: bool = False
    prefix: str = ""  # the label's hidden start: child and activity
    day_name: str = ""  # the label's visible end

    @property
    def input_id(self) -> str:
        return "day-" + self.value.replace(":", "-")


@dataclass
class ActivityRow:
    activity: Activity
    times: str
    cells: list[WeekCell]


@dataclass
class ChildWeek:
    child: Child
    name: str
    rows: list[ActivityRow]


def _enrolled(household: Household, today: datetime.date) -> list[ChildWeek]:
    """Each child's activities that need a reservation and are not over (2 queries)."""
    enrolments = list(
        Enrolment.objects.filter(
            child__household=household, valid_to__gte=today, activity__requires_booking=True
        )
        .select_related("activity")
        .order_by("activity__start_time", "activity__name", "pk")
    )
    children = list(Child.objects.filter(household=household).order_by("first_name", "pk"))
    weeks = []
    for child in children:
        activities: dict[int, Activity] = {}
        for e in enrolments:
            if e.child_id == child.pk:
                activities.setdefault(e.activity_id, e.activity)
        rows = [
            ActivityRow(
                activity=a,
                times=f"{a.start_time:%H:%M} – {a.end_time:%H:%M}",
                cells=[],
            )
            for a in activities.values()
        ]
        if rows:
            weeks.append(ChildWeek(child, child_name(child), rows))
    return weeks


def _weekday_columns(weeks: list[ChildWeek]) -> list[int]:
    """Monday to Friday, and the weekend only when some activity runs then."""
    used = {d for w in weeks for r in w.rows for d in r.activity.weekday_list}
    return [d for d in range(7) if d < 5 or d in used]


def _fill(weeks: list[ChildWeek], columns: list[int], ticked: set[str]) -> None:
    for week in weeks:
        for row in week.rows:
            runs = set(row.activity.weekday_list)
            for weekday in columns:
                cell = WeekCell(weekday)
                if weekday in runs:
                    cell.value = f"{week.child.pk}:{row.activity.pk}:{weekday}"
                    cell.checked = cell.value in ticked
                    # Read in full: "Emy, Restauration Scolaire, Monday"; seen: "Monday".
                    cell.prefix = _("%(child)s, %(activity)s,") % {
                        "child": week.child.first_name,
                        "activity": row.activity.name,
                    }
                    cell.day_name = str(WEEKDAYS[weekday])
                row.cells.append(cell)


def _remembered_ticks(household: Household) -> set[str]:
    return {
        f"{child_id}:{activity_id}:{weekday}"
        for (child_id, activity_id), weekdays in tw.remembered(household).items()
        for weekday in weekdays
    }


def _error_items(errors: dict[str, str]) -> list[tuple[str, str]]:
    """(message, id of the field) in the form's order, for the error summary's links."""
    targets = {"days": "field-days", "mode": "field-mode", "from": "field-from", "to": "field-to"}
    return [(errors[name], targets[name]) for name in targets if name in errors]


def _render_form(
    request: HttpRequest, household: Household, choice: Choice | None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    weeks = _enrolled(household, today)
    columns = _weekday_columns(weeks)
    prefilled = False
    if choice is None:
        start, end = tw.default_period(household)
        choice = Choice(start_text=start.isoformat(), end_text=end.isoformat())
        choice.ticked = _remembered_ticks(household)
        prefilled = bool(choice.ticked)
    _fill(weeks, columns, choice.ticked)
    context = {
        "weeks": weeks,
        "columns": [(d, WEEKDAYS[d], WEEKDAYS_ABBR[d]) for d in columns],
        "choice": choice,
        "start_value": choice.start.isoformat() if choice.start else choice.start_text,
        "end_value": choice.end.isoformat() if choice.end else choice.end_text,
        "errors": choice.errors,
        "error_items": _error_items(choice.errors),
        "prefilled": prefilled,
    }
    return render(request, FORM_TEMPLATE, context, status=status)


# --- the preview page ----------------------------------------------------------------------


@dataclass
class DayRow:
    date: datetime.date
    child: str
    activity: str
    price: str
    late: bool
    action: str


@dataclass
class SkippedRow:
    date: datetime.date
    child: str
    activity: str
    label: str
    reason: str
    waitlist: str = ""  # a full day: "join:<child>:<session>" (waiting_views.py)


def _skip_reason(day: typical_plan.SkippedDay) -> tuple[str, str]:
    """(short label, detail): the detail only when it says more than the label."""
    label = str(SKIP_LABELS.get(day.code, day.code))
    reason = day.reason.strip()
    if reason.rstrip(".").casefold() == label.casefold():
        reason = ""
    return label, reason


def _render_preview(
    request: HttpRequest,
    choice: Choice,
    plan: typical_plan.TypicalWeekPlan,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    actions = {
        typical_plan.ACTION_RESERVE: _("Reservation"),
        typical_plan.ACTION_CANCEL: _("Cancellation"),
        typical_plan.ACTION_WITHDRAW: _("Withdrawn from the basket"),
    }
    days = [
        DayRow(
            date=d.date,
            child=child_name(d.child),
            activity=d.activity.name,
            price=format_cents(d.price_cents),
            late=d.late and d.action == typical_plan.ACTION_RESERVE,
            action=actions[d.action],
        )
        for d in plan.days
    ]
    skipped = []
    for s in plan.skipped:
        label, reason = _skip_reason(s)
        row = SkippedRow(s.date, child_name(s.child), s.activity.name, label, reason)
        if s.code == rules.FULL and s.session_id:
            row.waitlist = f"join:{s.child.pk}:{s.session_id}"
        skipped.append(row)
    withdrawn = sum(d.price_cents for d in plan.days if d.action == typical_plan.ACTION_WITHDRAW)
    context = {
        "choice": choice,
        "plan": plan,
        "days": days,
        "skipped": skipped,
        "waitlist": [row for row in skipped if row.waitlist],
        "reserve": plan.mode == typical_plan.RESERVE,
        "total": format_cents(plan.total_cents),
        "credit": format_cents(plan.credit_cents),
        "withdrawn": format_cents(withdrawn),
        "has_withdrawn": withdrawn > 0,
        "late_label": LATE_LABEL,
        "error": error,
        "change_url": "?" + choice.query(),
        "ticked": sorted(choice.ticked),
    }
    return render(request, PREVIEW_TEMPLATE, context, status=status)


# --- the view ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@guardian_required
def typical_week_page(request: HttpRequest) -> HttpResponse:
    """GET: the typical week form, or (step=preview) its preview. POST: apply it."""
    household: Household = request.household  # type: ignore[attr-defined]
    if request.method != "POST":
        if request.GET.get("step") != "preview":
            if not request.GET:
                return _render_form(request, household, None)
            # Back from the preview ("Change the choice"): the same choice, no error shown.
            choice = read_choice(request.GET)
            choice.errors = {}
            return _render_form(request, household, choice)
        choice = read_choice(request.GET)
        if choice.errors:
            return _render_form(request, household, choice)
        try:
            plan = tw.preview_typical_week(
                household,
                patterns=choice.patterns,
                start=choice.start,
                end=choice.end,
                mode=choice.mode,
                actor=request.user,
            )
        except typical_plan.TypicalWeekInvalid as error:
            return _render_form(request, household, _invalid(choice, error))
        return _render_preview(request, choice, plan)

    choice = read_choice(request.POST)
    if choice.errors:
        return _render_form(request, household, choice, status=400)
    try:
        basket, plan = tw.apply_typical_week(
            household,
            patterns=choice.patterns,
            start=choice.start,
            end=choice.end,
            mode=choice.mode,
            actor=request.user,
            channel=Channel.TYPICAL_WEEK,
        )
    except typical_plan.TypicalWeekInvalid as error:
        return _render_form(request, household, _invalid(choice, error))
    except typical_plan.NothingToDo as nothing:
        return _render_preview(
            request,
            choice,
            nothing.plan,
            error=_("Nothing was changed: no day of this period can change any more."),
        )
    _announce(request, choice, plan)
    return redirect("reservations:basket")


def _announce(request: HttpRequest, choice: Choice, plan: typical_plan.TypicalWeekPlan) -> None:
    """The basket page's messages: what went in, what was skipped, what changed since the
    preview (the preview is advisory: a day may have become full meanwhile)."""
    count = len(plan.days)
    if plan.mode == typical_plan.RESERVE:
        text = _(
            "Days of your typical week put in the basket: %(count)s (%(total)s). Pay for the "
            "whole period at once."
        ) % {"count": count, "total": format_cents(plan.total_cents)}
    else:
        text = _("Cancellations of your typical week put in the basket: %(count)s.") % {
            "count": count
        }
    messages.success(request, text)
    if choice.expected is not None and count < choice.expected:
        messages.warning(
            request,
            _(
                "Days shown in the preview that could not change any more (they became full, "
                "or their deadline passed meanwhile): %(count)s."
            )
            % {"count": choice.expected - count},
        )
