"""Booking for a family: the parents' planning and basket, acting as staff.

The planning's layout, parsing and rules are the parents' own (reservations.planning_grid,
.forms, .submission, .basket_table and .basket); only the actor (the staff member), the
channel ("backoffice"), the option to pass the deadlines (with a reason) and the ways to
settle the basket differ (booking.py).
"""

import datetime
from collections.abc import Collection, Sequence

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portail.backoffice import booking
from portail.backoffice.forms import BypassForm, CounterPaymentForm
from portail.backoffice.households import Refused
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.billing.checkout import CheckoutRefused
from portail.billing.counter import CounterRefused
from portail.billing.quote import summarize
from portail.core.money import format_cents
from portail.families.models import Household
from portail.reservations.basket_table import basket_rows, minutes_left
from portail.reservations.forms import ChangesForm, choose_week, week_code
from portail.reservations.holds import open_basket
from portail.reservations.judging import ChangesRefused, Refusal
from portail.reservations.legend import LEGEND
from portail.reservations.models import LineKind
from portail.reservations.planning import WeekPlanning
from portail.reservations.planning_grid import build_layout, week_label
from portail.reservations.states import LATE_LABEL, CellAction
from portail.reservations.submission import PageErrors, split_changes


def _planning_url(household: Household, week: str, bypass: bool) -> str:
    url = reverse("backoffice:planning", kwargs={"pk": household.pk}) + f"?week={week}"
    return url + ("&bypass=1" if bypass else "")


def _render_planning(
    request: HttpRequest,
    household: Household,
    monday: datetime.date,
    *,
    bypass: bool,
    planning: WeekPlanning | None = None,
    week_error: str = "",
    errors: PageErrors | None = None,
    refusals: Sequence[Refusal] = (),
    checked: Collection[str] = frozenset(),
    bypass_form: BypassForm | None = None,
    status: int = 200,
) -> HttpResponse:
    planning = planning or booking.staff_week_planning(
        household, monday, actor=request.user, bypass_deadlines=bypass
    )
    layout = build_layout(planning)
    errors = errors or PageErrors()
    for block in layout.blocks.values():
        block.checked = bool(block.value) and block.value in checked
    for refusal in refusals:
        block = layout.blocks.get((refusal.child_id, refusal.session_id))
        if block is not None:
            block.error, block.checked = refusal.message, False
        errors.items.append((refusal.message, block.target_id if block else ""))
    today = timezone.localdate()
    context = {
        "household": household,
        "bypass": bypass,
        "bypass_form": bypass_form or BypassForm(),
        "planning": planning,
        "layout": layout,
        "week": planning.week,
        "week_label": week_label(planning.start, planning.end),
        "previous_url": _planning_url(
            household, week_code(planning.start - datetime.timedelta(days=7)), bypass
        ),
        "next_url": _planning_url(
            household, week_code(planning.start + datetime.timedelta(days=7)), bypass
        ),
        "this_week_url": _planning_url(household, week_code(today), bypass),
        "is_this_week": planning.start <= today <= planning.end,
        "toggle_url": _planning_url(household, planning.week, not bypass),
        "form_url": _planning_url(household, planning.week, bypass),
        "week_error": week_error,
        "errors": errors,
        "has_editable": any(b.value for b in layout.blocks.values()),
        "open_basket": open_basket(household),
        "legend": LEGEND,
        "late_label": LATE_LABEL,
        "undo_label": CellAction.UNDO_REQUEST.label,
        "zero_total": format_cents(0),
    }
    return render(request, "backoffice/planning.html", context, status=status)


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD", "POST"])
def planning(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the family's week (?bypass=1: with the deadlines passed). POST: submit the
    ticked blocks for the family, then go to its basket."""
    household = get_object_or_404(Household, pk=pk)
    bypass = (request.POST if request.method == "POST" else request.GET).get("bypass") == "1"
    if request.method != "POST":
        choice = choose_week(request.GET)
        return _render_planning(
            request, household, choice.monday, bypass=bypass, week_error=choice.error
        )

    choice = choose_week(request.POST if request.POST.get("week") else request.GET)
    form = ChangesForm(request.POST)
    bypass_form = BypassForm(request.POST) if bypass else None
    nothing_changed = _("Nothing was changed. Please correct these blocks and submit again:")
    if not form.is_valid():
        return _render_planning(
            request,
            household,
            choice.monday,
            bypass=bypass,
            errors=PageErrors(summary=" ".join(form.non_field_errors())),
            checked=set() if form.malformed else form.checked_values,
            bypass_form=bypass_form,
            status=400,
        )
    if bypass_form is not None and not bypass_form.is_valid():
        return _render_planning(
            request,
            household,
            choice.monday,
            bypass=bypass,
            errors=PageErrors(
                summary=_("Nothing was changed: give the reason for passing the deadlines.")
            ),
            checked=form.checked_values,
            bypass_form=bypass_form,
            status=400,
        )
    current = booking.staff_week_planning(
        household, choice.monday, actor=request.user, bypass_deadlines=bypass
    )
    add, cancel, refused = split_changes(form.parsed, current)
    if refused:
        return _render_planning(
            request,
            household,
            choice.monday,
            bypass=bypass,
            planning=current,
            errors=PageErrors(summary=nothing_changed),
            refusals=refused,
            checked=form.checked_values,
            bypass_form=bypass_form,
            status=409,
        )
    try:
        booking.submit_for_household(
            household,
            add=add,
            cancel=cancel,
            actor=request.user,
            bypass_deadlines=bypass,
            reason=bypass_form.cleaned_data["reason"] if bypass_form is not None else "",
        )
    except ChangesRefused as refusal:
        return _render_planning(
            request,
            household,
            choice.monday,
            bypass=bypass,
            errors=PageErrors(summary=nothing_changed),
            refusals=refusal.refusals,
            checked=form.checked_values,
            bypass_form=bypass_form,
            status=409,
        )
    except Refused as refusal:
        bypass_form = bypass_form or BypassForm()
        bypass_form.add_error("reason", refusal.message)
        return _render_planning(
            request,
            household,
            choice.monday,
            bypass=bypass,
            errors=PageErrors(summary=refusal.message),
            checked=form.checked_values,
            bypass_form=bypass_form,
            status=400,
        )
    messages.success(request, _("The changes are in the family's basket: settle it below."))
    return redirect("backoffice:basket", pk=household.pk)


def _render_basket(
    request: HttpRequest,
    household: Household,
    *,
    counter_form: CounterPaymentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    basket = open_basket(household, now=now)
    context: dict = {"household": household, "basket": basket}
    if basket is not None:
        summary = summarize(basket)
        context.update(
            {
                "summary": summary,
                "rows": basket_rows(summary),
                "has_reservations": any(r.kind == LineKind.RESERVATION for r in summary.lines),
                "has_cancellations": any(r.kind == LineKind.CANCELLATION for r in summary.lines),
                "reservations_total": format_cents(summary.reservations_total_cents),
                "cancellations_total": format_cents(summary.cancellations_total_cents),
                "invoiced_total": format_cents(summary.invoiced_total_cents),
                "credit_applied": format_cents(summary.credit_applied_cents),
                "amount_due": format_cents(summary.amount_due_cents),
                "expires_at": timezone.localtime(basket.expires_at),
                "minutes_left": minutes_left(basket.expires_at, now),
                "late_label": LATE_LABEL,
                "counter_form": counter_form
                or CounterPaymentForm(initial={"expected_due_cents": summary.amount_due_cents}),
            }
        )
    return render(request, "backoffice/basket.html", context, status=status)


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def basket(request: HttpRequest, pk: int) -> HttpResponse:
    """The family's open basket, and the ways to settle it as staff."""
    household = get_object_or_404(Household, pk=pk)
    return _render_basket(request, household)


@require_role(GESTIONNAIRE)
@require_POST
def basket_validate(request: HttpRequest, pk: int) -> HttpResponse:
    """OK: a basket with nothing to pay is validated at once."""
    household = get_object_or_404(Household, pk=pk)
    try:
        booking.validate_for_household(household, actor=request.user)
    except CheckoutRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("backoffice:basket", pk=household.pk)
    messages.success(request, _("The basket is validated: the family's planning is updated."))
    return redirect("backoffice:household", pk=household.pk)


@require_role(GESTIONNAIRE)
@require_POST
def basket_counter(request: HttpRequest, pk: int) -> HttpResponse:
    """Paid at the counter: the amount due is recorded with its means, the basket paid."""
    household = get_object_or_404(Household, pk=pk)
    form = CounterPaymentForm(request.POST)
    basket_ = open_basket(household)
    if basket_ is None:
        messages.error(request, _("There is no basket to pay (it may have expired)."))
        return redirect("backoffice:basket", pk=household.pk)
    if not form.is_valid():
        return _render_basket(request, household, counter_form=form, status=400)
    try:
        result = booking.pay_at_counter(
            basket_,
            means=form.cleaned_data["means"],
            reference=form.cleaned_data["reference"],
            expected_due_cents=form.cleaned_data["expected_due_cents"],
            actor=request.user,
        )
    except CounterRefused as refusal:
        # The basket changed or closed meanwhile: show it again as it is now.
        messages.error(request, refusal.message)
        return redirect("backoffice:basket", pk=household.pk)
    messages.success(
        request,
        _("Payment of %(amount)s recorded; the basket is paid and the family's planning updated.")
        % {"amount": format_cents(result.payment.amount_cents)},
    )
    return redirect("backoffice:household", pk=household.pk)


@require_role(GESTIONNAIRE)
@require_POST
def basket_drop(request: HttpRequest, pk: int) -> HttpResponse:
    """ANNULER for the family (the button sits in a disclosure on the basket page)."""
    household = get_object_or_404(Household, pk=pk)
    if booking.drop_for_household(household, actor=request.user):
        messages.success(request, _("The basket was cancelled: its places are released."))
    else:
        messages.info(request, _("There was no basket to cancel (it may have expired)."))
    return redirect("backoffice:basket", pk=household.pk)
