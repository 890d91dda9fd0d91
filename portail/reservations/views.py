"""The parent's planning page ("Réservations"), and the basket's ANNULER and PDF pages.

Thin views: the week and every block's state come from `planning.week_planning`, drawn on
the grid of `planning_grid.build_layout`; the ticked blocks are split by
`submission.split_changes` and go through `basket.submit_changes` (channel "web"), which
re-checks every rule. The planning is a plain HTML form (one checkbox per block that can
change), so it works fully without JavaScript; planning.js only adds the live list of
pending changes, keeps the summary bar (changes, total, credit used, left to pay: the
credit counted through reservations.credit_hook, which billing sets) in step with the
boxes, the phone's day links, and asks before leaving a week with unsent ticks. The
basket page, with the credit and the amount due, is billing's (billing.views.basket_page);
its ANNULER and PDF pages are here.
"""

import datetime
from collections.abc import Collection, Sequence

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.core.money import format_cents
from portail.families.guardians import guardian_required
from portail.families.models import Household
from portail.reservations.basket import submit_changes
from portail.reservations.basket_table import basket_rows
from portail.reservations.credit_hook import credit_for_changes_cents
from portail.reservations.forms import ChangesForm, choose_week, week_code
from portail.reservations.holds import drop_basket, open_basket, open_basket_and_credit
from portail.reservations.judging import ChangesRefused, Refusal
from portail.reservations.legend import BILLING_LEGEND, LEGEND
from portail.reservations.models import BasketStatus, Channel
from portail.reservations.planning import WeekPlanning, week_planning
from portail.reservations.planning_grid import build_layout, changes_summary, week_label
from portail.reservations.states import CellAction
from portail.reservations.submission import PageErrors, split_changes
from portail.reservations.summary import basket_contents

PLANNING_TEMPLATE = "reservations/planning.html"


# --- the planning page ----------------------------------------------------------------


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
    # The open basket, the QF periods and the credit in one statement, before the planning
    # (which then prices with those QF periods).
    basket, credit = open_basket_and_credit(household)
    planning = planning or week_planning(household, monday, quotients_read=True)
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
        "billing_legend": BILLING_LEGEND,
        "undo_label": CellAction.UNDO_REQUEST.label,
        "zero_total": format_cents(0),
        "summary": changes_summary(layout, credit_for_changes_cents(household, basket, credit)),
    }
    if planning.organisation is not None:
        # Read with the week's sessions: the header does not read it again (as the
        # context processor core.context_processors.portal would).
        context["organisation"] = planning.organisation
    return render(request, PLANNING_TEMPLATE, context, status=status)


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
    add, cancel, refused = split_changes(form.parsed, current)
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
    if getattr(basket, "collected_for_draw", 0):
        # Days of a booking window's draw: recorded for the draw, not served (windows.py).
        messages.success(request, _("Your request is registered for the draw: see below."))
        return redirect("reservations:draw_status")
    if basket.status == BasketStatus.OPEN:
        messages.success(request, _("Your changes are in the basket: check them below."))
    else:
        messages.success(request, _("Your changes were made; nothing is left in the basket."))
    return redirect("reservations:basket")


# --- the basket: ANNULER and its PDF ------------------------------------------------


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
    contents = basket_contents(basket)
    return render(
        request,
        "reservations/basket_cancel.html",
        {"basket": basket, "rows": basket_rows(contents)},
    )
