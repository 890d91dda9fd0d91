"""Families, for the gestionnaire: search, a household's page, creation, enrolments, QF,
credit. Thin views: households.py does the work and keeps the audit trail."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portail.activities.models import Enrolment
from portail.backoffice import audit, households
from portail.backoffice.forms import (
    ChildFormSet,
    CreditForm,
    EnrolForm,
    GuardianFormSet,
    HouseholdForm,
    QuotientForm,
    SearchForm,
    school_year,
)
from portail.backoffice.households import ChildData, EnrolmentData, GuardianData, Refused
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.billing import credits
from portail.billing.models import CounterPayment, Payment
from portail.core.money import format_cents
from portail.families.models import Guardian, Household
from portail.reservations.models import Basket, HistoryEntry

RESULTS_PER_PAGE = 30
HISTORY_ROWS = 100
BASKET_ROWS = 30


def search_households(query: str):
    """Households whose name, a child's name, a guardian's name or e-mail, or the contact
    e-mail contains every word of `query` (case-insensitive)."""
    households_qs = Household.objects.all()
    for word in query.split()[:5]:
        households_qs = households_qs.filter(
            Q(name__icontains=word)
            | Q(email__icontains=word)
            | Q(children__first_name__icontains=word)
            | Q(children__last_name__icontains=word)
            | Q(guardians__user__email__icontains=word)
            | Q(guardians__user__first_name__icontains=word)
            | Q(guardians__user__last_name__icontains=word)
        )
    return households_qs.distinct().order_by("name", "pk")


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def family_search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
    if query:
        results = search_households(query).prefetch_related(
            Prefetch("guardians", queryset=Guardian.objects.select_related("user")),
            "children",
        )
        page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/family_search.html",
        {"form": form, "query": query, "page": page},
    )


def _refused_to_forms(
    refusal: Refused, form: HouseholdForm, guardian_formset, child_formset
) -> None:
    """Put a service refusal next to the field it names ("guardians[1].email")."""
    field = refusal.field
    for prefix, formset in (("guardians[", guardian_formset), ("children[", child_formset)):
        if field.startswith(prefix):
            index_text, _sep, rest = field[len(prefix) :].partition("].")
            if index_text.isdigit() and int(index_text) < len(formset.forms):
                target = formset.forms[int(index_text)]
                name = rest if rest in target.fields else None
                if rest.startswith("enrolments"):
                    name = "activities"
                target.add_error(name, refusal.message)
                return
    form.add_error(field if field in form.fields else None, refusal.message)


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD", "POST"])
def household_create(request: HttpRequest) -> HttpResponse:
    """A household with one or two guardians and up to four children, enrolled in
    activities for one period; the guardians receive their activation link."""
    start, end = school_year()
    if request.method == "POST":
        form = HouseholdForm(request.POST)
        guardian_formset = GuardianFormSet(request.POST, prefix="guardians")
        child_formset = ChildFormSet(request.POST, prefix="children")
        if form.is_valid() and guardian_formset.is_valid() and child_formset.is_valid():
            period = (form.cleaned_data["valid_from"], form.cleaned_data["valid_to"])
            guardians = [
                GuardianData(
                    f.cleaned_data["email"],
                    f.cleaned_data["first_name"],
                    f.cleaned_data["last_name"],
                )
                for f in guardian_formset.forms
                if f.cleaned_data
            ]
            children = [
                ChildData(
                    f.cleaned_data["first_name"],
                    f.cleaned_data["last_name"],
                    f.cleaned_data["birth_date"],
                    tuple(EnrolmentData(a.pk, *period) for a in f.cleaned_data["activities"]),
                )
                for f in child_formset.forms
                if f.cleaned_data
            ]
            try:
                created = households.create_household(
                    name=form.cleaned_data["name"],
                    guardians=guardians,
                    children=children,
                    actor=request.user,
                    request=request,
                )
            except Refused as refusal:
                _refused_to_forms(refusal, form, guardian_formset, child_formset)
            else:
                messages.success(
                    request,
                    _("Household %(name)s created; the activation link was sent to %(emails)s.")
                    % {
                        "name": created.household.name,
                        "emails": ", ".join(g.user.email for g in created.guardians),
                    },
                )
                return redirect("backoffice:household", pk=created.household.pk)
    else:
        form = HouseholdForm(
            initial={"valid_from": max(timezone.localdate(), start), "valid_to": end}
        )
        guardian_formset = GuardianFormSet(prefix="guardians")
        child_formset = ChildFormSet(prefix="children")
    has_errors = bool(
        form.errors
        or any(f.errors for f in guardian_formset.forms)
        or any(f.errors for f in child_formset.forms)
        or guardian_formset.non_form_errors()
        or child_formset.non_form_errors()
    )
    return render(
        request,
        "backoffice/household_create.html",
        {
            "form": form,
            "guardian_formset": guardian_formset,
            "child_formset": child_formset,
            "has_errors": has_errors,
        },
        status=400 if has_errors else 200,
    )


def _household_context(request: HttpRequest, household: Household) -> dict:
    today = timezone.localdate()
    qf_period = household.quotient_period_on(today)
    guardians = list(household.guardians.select_related("user").order_by("pk"))
    children = list(
        household.children.order_by("first_name", "pk").prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("activity__site").order_by(
                    "valid_from", "activity__name"
                ),
            )
        )
    )
    ledger = credits.entries(household)
    ledger.reverse()
    baskets = list(
        Basket.objects.filter(household=household)
        .prefetch_related("lines")
        .order_by("-created_at", "-pk")[:BASKET_ROWS]
    )
    history = list(
        HistoryEntry.objects.filter(child__household=household)
        .select_related("child", "session__activity", "actor")
        .order_by("-created_at", "-pk")[:HISTORY_ROWS]
    )
    return {
        "household": household,
        "today": today,
        "qf_period": qf_period,
        "qf_validity": households.validity_text(
            qf_period.valid_from if qf_period else None, qf_period.valid_to if qf_period else None
        ),
        "qf_periods": household.quotient_periods_loaded(),
        "guardians": guardians,
        "children": children,
        "balance": format_cents(credits.balance_cents(household)),
        "available": format_cents(credits.available_cents(household)),
        "ledger": ledger,
        "baskets": baskets,
        "payments": list(
            Payment.objects.filter(household=household).order_by("-created_at", "-pk")[:BASKET_ROWS]
        ),
        "counter_payments": list(
            CounterPayment.objects.filter(household=household)
            .select_related("basket")
            .order_by("-created_at", "-pk")[:BASKET_ROWS]
        ),
        "documents": list(household.documents.order_by("-created_at", "-pk")[:BASKET_ROWS]),
        "history": history,
        "staff_actions": list(audit.for_household(household)[:HISTORY_ROWS]),
    }


def _render_household(
    request: HttpRequest,
    household: Household,
    *,
    enrol_form: EnrolForm | None = None,
    qf_form: QuotientForm | None = None,
    credit_form: CreditForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _household_context(request, household)
    context["enrol_form"] = enrol_form or EnrolForm(household, prefix="enrol")
    current = context["qf_period"]
    context["qf_form"] = qf_form or QuotientForm(
        prefix="qf",
        initial={
            "quotient_familial": current.value if current else None,
            "qf_valid_from": current.valid_from if current else None,
            "qf_valid_to": current.valid_to if current else None,
        },
    )
    context["credit_form"] = credit_form or CreditForm(prefix="credit")
    return render(request, "backoffice/household_detail.html", context, status=status)


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    return _render_household(request, household)


def _back(household: Household, anchor: str) -> HttpResponse:
    return redirect(reverse("backoffice:household", kwargs={"pk": household.pk}) + anchor)


@require_role(GESTIONNAIRE)
@require_POST
def household_enrol(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    form = EnrolForm(household, request.POST, prefix="enrol")
    if form.is_valid():
        try:
            enrolment = households.enrol(
                form.cleaned_data["child"],
                form.cleaned_data["activity"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.cleaned_data["valid_to"],
                actor=request.user,
            )
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("%(child)s is enrolled in %(activity)s.")
                % {"child": enrolment.child.first_name, "activity": enrolment.activity.name},
            )
            return _back(household, "#children")
    return _render_household(request, household, enrol_form=form, status=400)


@require_role(GESTIONNAIRE)
@require_POST
def household_qf(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    form = QuotientForm(request.POST, prefix="qf")
    if form.is_valid():
        try:
            households.set_quotient_familial(
                household,
                quotient_familial=form.cleaned_data["quotient_familial"],
                valid_from=form.cleaned_data["qf_valid_from"],
                valid_to=form.cleaned_data["qf_valid_to"],
                actor=request.user,
            )
        except Refused as refusal:
            name = {"valid_to": "qf_valid_to", "valid_from": "qf_valid_from"}.get(
                refusal.field, refusal.field
            )
            form.add_error(name if name in form.fields else None, refusal.message)
        else:
            messages.success(request, _("The quotient familial was saved."))
            return _back(household, "#qf")
    return _render_household(request, household, qf_form=form, status=400)


@require_role(GESTIONNAIRE)
@require_POST
def household_credit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    form = CreditForm(request.POST, prefix="credit")
    if form.is_valid():
        try:
            entry = households.adjust_credit(
                household,
                form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except Refused as refusal:
            name = "amount" if refusal.field == "amount_cents" else refusal.field
            form.add_error(name if name in form.fields else None, refusal.message)
        else:
            messages.success(
                request,
                _("The credit was adjusted; the balance is now %(balance)s.")
                % {"balance": format_cents(entry.balance_after_cents)},
            )
            return _back(household, "#credit")
    return _render_household(request, household, credit_form=form, status=400)


@require_role(GESTIONNAIRE)
@require_POST
def guardian_activation(request: HttpRequest, pk: int, guardian_pk: int) -> HttpResponse:
    """Send a guardian a new activation link (a lost or expired one)."""
    household = get_object_or_404(Household, pk=pk)
    guardian = get_object_or_404(
        Guardian.objects.select_related("user"), pk=guardian_pk, household=household
    )
    if guardian.user.has_usable_password():
        messages.error(
            request,
            _(
                "%(email)s has already chosen a password: the guardian can use "
                "the “forgotten password” link of the login page."
            )
            % {"email": guardian.user.email},
        )
        return _back(household, "#guardians")
    households.send_activation(guardian, actor=request.user, request=request)
    messages.success(
        request, _("A new activation link was sent to %(email)s.") % {"email": guardian.user.email}
    )
    return _back(household, "#guardians")
