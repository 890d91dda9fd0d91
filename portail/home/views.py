"""The parents' pages that show several apps at once: the home page ("Accueil") and the
portal guide (the seed's "Guide Portail Famille" and the planning's AIDE).

Every query of the home page is scoped to the logged-in guardian's household, so a
household only ever sees its own data. It runs a fixed number of queries whatever the
number of children, enrolments or documents (children and their enrolments are
prefetched).
"""

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portail.activities.models import Enrolment
from portail.billing import credits
from portail.billing.invoicing.queries import unpaid_invoices
from portail.core.models import Organisation
from portail.core.money import format_cents
from portail.families.guardians import guardian_household
from portail.home.guide import activity_deadlines
from portail.procedures import statuses
from portail.procedures.models import (
    FINAL_STATUSES,
    Procedure,
    ProcedureCode,
    Request,
    RequestStatus,
)
from portail.reservations.basket_table import minutes_left
from portail.reservations.holds import is_expired
from portail.reservations.legend import BILLING_LEGEND, LEGEND
from portail.reservations.models import Basket, BasketStatus, LineKind
from portail.reservations.states import LATE_LABEL, CellAction

# How many documents the home page lists; the rest are on the documents page.
HOME_DOCUMENTS = 5

# "Statut de mes démarches" shows the requests being dealt with, and those decided within
# this many days; every request is on the procedures' list page.
RECENT_DECISION_DAYS = 180


def procedure_blocks(household, today: datetime.date) -> dict:
    """The seed's démarches blocks, in two queries whatever the number of requests: the
    open procedures (DEBUT), the drafts and requests to complete (CONTINUER), the others
    being dealt with or recently decided, and the early childhood requests."""
    procedures = list(Procedure.objects.filter(is_open=True).order_by("position", "pk"))
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=RECENT_DECISION_DAYS), datetime.time()
        )
    )
    rows = list(
        Request.objects.filter(household_id=household.pk)
        .filter(
            ~Q(status__in=FINAL_STATUSES)
            | Q(decided_at__gte=since)
            | Q(procedure__code=ProcedureCode.EARLY_CHILDHOOD)
        )
        .select_related("procedure")
        .order_by("-created_at", "-pk")
    )
    early = ProcedureCode.EARLY_CHILDHOOD
    for row in rows:
        row.status_words = (
            statuses.commission_label(row.status)
            if row.procedure.code == early
            else statuses.status_label(row.status)
        )
    return {
        "open_procedures": procedures,
        "ongoing_requests": [r for r in rows if r.status in statuses.EDITABLE],
        "followed_requests": [
            r
            for r in rows
            if r.status not in statuses.EDITABLE
            and r.procedure.code != early
            and (r.decided_at is None or r.decided_at >= since)
        ],
        "early_childhood_requests": [
            r for r in rows if r.procedure.code == early and r.status != RequestStatus.DRAFT
        ],
        "early_childhood_procedure": next((p for p in procedures if p.code == early), None),
    }


def pending_basket(household, now: datetime.datetime) -> dict | None:
    """The basket waiting for the family (one query): an open one still holding its
    places (with its minutes left), or one whose payment is in progress; None otherwise.
    An open basket past its hold is not shown (it holds nothing; expire_baskets tidies it)."""
    basket = (
        Basket.objects.filter(
            household_id=household.pk,
            status__in=(BasketStatus.OPEN, BasketStatus.AWAITING_PAYMENT),
        )
        .annotate(
            reservations=Count("lines", filter=Q(lines__kind=LineKind.RESERVATION)),
            cancellations=Count("lines", filter=Q(lines__kind=LineKind.CANCELLATION)),
        )
        .order_by("-pk")
        .first()
    )
    if basket is None:
        return None
    if basket.status == BasketStatus.OPEN:
        if is_expired(basket, now) or not (basket.reservations or basket.cancellations):
            return None
        return {
            "basket": basket,
            "awaiting_payment": False,
            "expires_at": timezone.localtime(basket.expires_at),
            "minutes_left": minutes_left(basket.expires_at, now),
        }
    return {"basket": basket, "awaiting_payment": True}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    household = guardian_household(request)
    organisation = Organisation.current()
    if household is None:
        template = (
            "families/staff_home.html" if request.user.is_staff else "families/no_household.html"
        )
        return render(request, template, {"org": organisation, "organisation": organisation})

    today = timezone.localdate()
    current_enrolments = (
        Enrolment.objects.filter(valid_to__gte=today)
        .select_related("activity__site")
        .order_by("activity__start_time", "activity__name", "pk")
    )
    children = list(
        household.children.order_by("first_name", "pk").prefetch_related(
            Prefetch("enrolments", queryset=current_enrolments, to_attr="current_enrolments")
        )
    )
    guardians = list(
        household.guardians.select_related("user").order_by("user__last_name", "user__first_name")
    )
    documents = list(household.documents.order_by("-created_at", "-pk")[: HOME_DOCUMENTS + 1])
    # "Payer ma facture": every invoice still to pay (a household has few), oldest due first.
    unpaid = list(unpaid_invoices(household))
    context = {
        "org": organisation,
        "organisation": organisation,  # the layout's, fetched once (not per use)
        "household": household,
        "qf_period": household.quotient_period_on(today),
        "guardians": guardians,
        "children": children,
        "documents": documents[:HOME_DOCUMENTS],
        "more_documents": len(documents) > HOME_DOCUMENTS,
        **procedure_blocks(household, today),
        # "Mon avoir": the credit a new basket can use (portail.billing.credits).
        "credit_available_cents": credits.available_cents(household),
        "unpaid_invoices": unpaid,
        "pending": pending_basket(household, timezone.now()),
        "today": today,
    }
    return render(request, "families/home.html", context)


def help_page(request: HttpRequest) -> HttpResponse:
    """The portal guide: how booking, paying and cancelling work (the seed's AIDE)."""
    organisation = Organisation.current()
    context = {
        "org": organisation,
        "organisation": organisation,  # the layout's, fetched once (not per use)
        "legend": LEGEND,
        "billing_legend": BILLING_LEGEND,
        "undo_label": CellAction.UNDO_REQUEST.label,
        "late_label": LATE_LABEL,
        # The seed's basket: 4 meals at 3,70 EUR.
        "example_price": format_cents(370),
        "example_total": format_cents(4 * 370),
        "hold_minutes": settings.PORTAIL_BASKET_HOLD_MINUTES,
        "deadlines": activity_deadlines(organisation),
    }
    return render(request, "core/help.html", context)
