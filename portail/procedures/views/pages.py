"""The family's démarches: the list of its requests, a procedure's form (start one: save a
draft or send it), a draft's form (CONTINUER: save or send), and a request's page.

Signed-in guardians only (families.guardians.guardian_required: the login page for
anonymous visitors, the "no household" page for staff); every request is looked up within
the household, so another household's number answers 404 like an unknown one. Every
change goes through procedures.services; their refusals come back on the form's fields.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.families.guardians import guardian_required
from portail.families.models import Household
from portail.procedures import services, statuses
from portail.procedures.models import Procedure, ProcedureCode, Request
from portail.procedures.page_forms import family_file_prefill, form_for
from portail.procedures.statuses import RequestRefused
from portail.procedures.views.display import detail_context, status_words
from portail.reservations.models import Channel

SAVE = "save"
SUBMIT = "submit"


def household_request(household: Household, number: int) -> Request:
    """The household's request of that number, or 404 (another household's too)."""
    found = (
        Request.objects.select_related("procedure")
        .filter(household_id=household.pk, number=number)
        .first()
    )
    if found is None:
        raise Http404(_("This request does not exist."))
    return found


@require_http_methods(["GET", "HEAD"])
@guardian_required
def request_list(request: HttpRequest) -> HttpResponse:
    """Every request of the household, newest first."""
    household: Household = request.household  # type: ignore[attr-defined]
    rows = list(
        Request.objects.filter(household_id=household.pk)
        .select_related("procedure")
        .order_by("-created_at", "-pk")
    )
    for row in rows:
        row.status_words = status_words(row)
    procedures = list(Procedure.objects.filter(is_open=True).order_by("position", "pk"))
    return render(
        request,
        "procedures/list.html",
        {"requests": rows, "procedures": procedures, "editable": statuses.EDITABLE},
    )


def _form_page(request, procedure, form, *, req=None, status=200) -> HttpResponse:
    return render(
        request,
        "procedures/form.html",
        {
            "procedure": procedure,
            "form": form,
            "req": req,
            "status_words": status_words(req) if req else "",
            "required_documents": procedure.required_document_list,
            "is_qf": procedure.code == ProcedureCode.QF_DECLARATION,
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@guardian_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """A procedure's form (DEBUT): SAVE keeps a draft, SUBMIT sends it at once."""
    household: Household = request.household  # type: ignore[attr-defined]
    procedure = get_object_or_404(Procedure, code=code)
    if not procedure.is_open:
        return render(request, "procedures/closed.html", {"procedure": procedure})
    prefill = family_file_prefill(household) if code == ProcedureCode.FAMILY_FILE else {}
    if request.method != "POST":
        return _form_page(request, procedure, form_for(procedure, household, prefill))
    form = form_for(procedure, household, prefill, post=request.POST)
    if form.is_valid():
        action = request.POST.get("action")
        try:
            if action == SUBMIT:
                created = services.create_request(
                    household,
                    procedure.code,
                    form.to_data(),
                    submit=True,
                    actor=request.user,
                    channel=Channel.WEB,
                )
                messages.success(request, _sent(created))
            else:
                created = services.create_draft(
                    household,
                    procedure.code,
                    form.to_data(),
                    actor=request.user,
                    channel=Channel.WEB,
                )
                messages.success(request, _saved(created))
            return redirect("procedures:detail", number=created.number)
        except RequestRefused as refused:
            form.show_refusal(refused)
    return _form_page(request, procedure, form)


def _sent(req: Request) -> str:
    return _("Your request %(number)s has been sent to the service.") % {"number": req.number}


def _saved(req: Request) -> str:
    return _(
        "Your draft %(number)s is saved. It is not sent yet: come back to it from the home "
        "page (CONTINUE) and send it when it is complete."
    ) % {"number": req.number}


@require_http_methods(["GET", "HEAD", "POST"])
@guardian_required
def edit(request: HttpRequest, number: int) -> HttpResponse:
    """A draft's (or a request to complete's) form, filled with its data (CONTINUER)."""
    household: Household = request.household  # type: ignore[attr-defined]
    req = household_request(household, number)
    procedure = req.procedure
    if req.status not in statuses.EDITABLE:
        messages.error(
            request,
            _("This request is “%(status)s”: it cannot be changed any more.")
            % {"status": status_words(req)},
        )
        return redirect("procedures:detail", number=req.number)
    if request.method != "POST":
        return _form_page(request, procedure, form_for(procedure, household, req.data), req=req)
    form = form_for(procedure, household, req.data, post=request.POST)
    if form.is_valid():
        try:
            services.update_draft(
                household, req.pk, form.to_data(), actor=request.user, channel=Channel.WEB
            )
        except RequestRefused as refused:
            form.show_refusal(refused)
            return _form_page(request, procedure, form, req=req)
        if request.POST.get("action") != SUBMIT:
            messages.success(request, _saved(req))
            return redirect("procedures:detail", number=req.number)
        try:
            services.submit(household, req.pk, actor=request.user, channel=Channel.WEB)
        except RequestRefused as refused:
            form.other_errors.append(
                _("Your changes are saved, but the request cannot be sent yet.")
            )
            form.show_refusal(refused)
            return _form_page(request, procedure, form, req=req)
        messages.success(request, _sent(req))
        return redirect("procedures:detail", number=req.number)
    return _form_page(request, procedure, form, req=req)


@require_http_methods(["GET", "HEAD"])
@guardian_required
def detail(request: HttpRequest, number: int) -> HttpResponse:
    """A request: number, status, data as sent, documents, messages and history."""
    household: Household = request.household  # type: ignore[attr-defined]
    req = household_request(household, number)
    return render(request, "procedures/detail.html", detail_context(req, household))
