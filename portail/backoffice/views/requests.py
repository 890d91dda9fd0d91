"""The requests inbox (démarches), for gestionnaires: the list with its filters, one
request with the household's file beside it, the actions on it (POST, then back to the
page with a message) and its documents. Thin views: backoffice/requests.py reads,
procedures.services changes (channel "backoffice", the signed-in staff member)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portail.backoffice import requests as inbox
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.backoffice.request_forms import ACTION_FORMS, InboxFilterForm
from portail.procedures import documents, services, statuses, uploads, wording
from portail.procedures.models import ProcedureCode, Request
from portail.procedures.statuses import RequestRefused
from portail.reservations.models import Channel

PAGE_SIZE = 50
FILTERS = ("procedure", "status", "assigned", "older_than")
CHANNEL = Channel.BACKOFFICE


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def inbox_page(request: HttpRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    today = timezone.localdate()
    rows = inbox.inbox(form.filters(), user=request.user, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in FILTERS and v}
    return render(
        request,
        "backoffice/requests.html",
        {
            "form": form,
            "page": page,
            "rows": inbox.with_facts(page.object_list, today),
            "query": urlencode(query),
            "filtered": bool(query),
        },
        status=status,
    )


def _get(pk: int) -> Request:
    found = inbox.detail(pk)
    if found is None:
        raise Http404
    return found


def _moves(request: Request) -> set[str]:
    """The actions the page offers for the request's status (the services check again)."""
    offered = set()
    for move in (statuses.TAKE, statuses.ASK_MORE, statuses.ACCEPT, statuses.REFUSE):
        if request.status in statuses.MOVES[move][1]:
            offered.add(move)
    if (
        request.procedure.code == ProcedureCode.EARLY_CHILDHOOD
        and request.status in statuses.MOVES[statuses.WAITING_LIST][1]
    ):
        offered.add(statuses.WAITING_LIST)
    if request.status in statuses.CONVERSATION:
        offered |= {"assign", "message"}
    return offered


def _render_detail(
    request: HttpRequest,
    req: Request,
    *,
    bound: dict | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    bound = bound or {}
    offered = _moves(req)
    action_forms = {
        name: bound.get(name) or form_class(prefix=name)
        for name, form_class in ACTION_FORMS.items()
        if name in offered
    }
    return render(
        request,
        "backoffice/requests_detail.html",
        {
            "req": req,
            "data": wording.readable_data(req),
            "events": inbox.history(req),
            "attachments": list(req.attachments.all()),
            "checklist": documents.checklist(req),
            "age_days": inbox.age_days(req, today),
            "file": inbox.household_file(req, today),
            "forms": action_forms,
            "error": error,
            "is_early_childhood": req.procedure.code == ProcedureCode.EARLY_CHILDHOOD,
            "commission_status": statuses.commission_label(req.status),
        },
        status=status,
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get(pk))


def _success(action: str, req: Request, form) -> str:
    if action == "assign":
        assignee = form.cleaned_data.get("assignee")
        if assignee is None:
            return _("Request %(number)s is now assigned to nobody.") % {"number": req.number}
        return _("Request %(number)s is now assigned to %(name)s.") % {
            "number": req.number,
            "name": inbox.staff_name(assignee),
        }
    texts = {
        "take": _("You are processing request %(number)s."),
        "message": _("Your message was sent to the family (request %(number)s)."),
        "ask_more": _("Request %(number)s was sent back to the family to be completed."),
        "accept": _("Request %(number)s was accepted and its change applied."),
        "refuse": _("Request %(number)s was refused; the family was told the reason."),
        "waiting_list": _("Request %(number)s is on the waiting list."),
    }
    return texts[action] % {"number": req.number}


def _act(action: str, pk: int, form, user) -> None:
    data = form.cleaned_data
    who = {"actor": user, "channel": CHANNEL}
    if action == "take":
        services.take(pk, **who)
    elif action == "assign":
        services.assign(pk, data.get("assignee"), **who)
    elif action == "message":
        services.staff_message(pk, data.get("message", ""), **who)
    elif action == "ask_more":
        services.ask_more(pk, data.get("message", ""), **who)
    elif action == "accept":
        services.accept(pk, message=data.get("message", ""), **who)
    elif action == "refuse":
        services.refuse(pk, data.get("reason", ""), **who)
    elif action == "waiting_list":
        services.put_on_waiting_list(pk, message=data.get("message", ""), **who)


def _field_errors(form, refused: RequestRefused) -> bool:
    """Put the refusal next to the form's field it names; False when it names none."""
    placed = False
    for name, message in (refused.fields or {}).items():
        target = "reason" if name == "message" and "reason" in form.fields else name
        if target in form.fields:
            form.add_error(target, message)
            placed = True
    return placed


@require_role(GESTIONNAIRE)
@require_POST
def request_action(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(pk)
    action = request.POST.get("action", "")
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        return _render_detail(request, req, error=_("Unknown action."), status=400)
    form = form_class(request.POST, prefix=action)
    error = ""
    if form.is_valid():
        try:
            _act(action, req.pk, form, request.user)
        except RequestRefused as refused:
            # Next to its field when the page shows that form; else at the top.
            if action not in _moves(req) or not _field_errors(form, refused):
                error = refused.message
        else:
            messages.success(request, _success(action, req, form))
            return redirect("backoffice:request", pk=req.pk)
    elif action not in _moves(req):
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    return _render_detail(request, _get(pk), bound={action: form}, error=error, status=400)


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def request_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A document of a request, for staff only (a draft's documents look unknown)."""
    found = inbox.attachment(pk)
    if found is None:
        raise Http404
    return uploads.stored_file_response(found)
