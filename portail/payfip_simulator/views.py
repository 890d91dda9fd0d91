"""The simulator's HTTP side: SOAP endpoint, payment page, switches page, test receiver.

Who may use what: the SOAP endpoint is called server to server by the portal (no login,
like PayFiP's) and accepts only operations whose urlnotif and urlredirect are on the
portal's own address; the payment page serves whoever holds the idOp (the parent sent
there by the portal); the switches page, which lists the latest payments, is for the
service's gestionnaires; the test receiver stands for a site's urlnotif.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.core.base_url import base_url
from portail.core.money import format_cents
from portail.payfip_simulator import operations, protocol
from portail.payfip_simulator.forms import BehaviourForm, CardForm, NotificationChoiceForm
from portail.payfip_simulator.models import (
    PAGE_VALID_MINUTES,
    ReceivedNotification,
    SimulatedOperation,
    SimulatorBehaviour,
    SoapExchange,
    SoapMode,
)
from portail.payfip_simulator.notify import send_due_notifications

MAX_SOAP_BYTES = 64 * 1024
MAX_SLOW_SECONDS = 60
XML = "text/xml; charset=utf-8"

# --- SOAP endpoint ----------------------------------------------------------------------


def _record(request: HttpRequest, body: bytes, status: int, operation: str = "", code: str = ""):
    exchange = SoapExchange.objects.create(
        operation=operation,
        soap_action=request.META.get("HTTP_SOAPACTION", "")[:200],
        content_type=request.META.get("CONTENT_TYPE", "")[:200],
        request_body=body.decode("utf-8", errors="replace"),
        response_status=status,
        fault_code=code,
    )
    SoapExchange.objects.filter(pk__lte=exchange.pk - SoapExchange.KEEP).delete()


def _read_limited(request: HttpRequest) -> bytes | None:
    """The request body, or None when it is larger than MAX_SOAP_BYTES."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if declared > MAX_SOAP_BYTES:
        return None
    body = request.read(MAX_SOAP_BYTES + 1)
    return None if len(body) > MAX_SOAP_BYTES else body


@csrf_exempt  # a web service called server to server, like PayFiP's
@require_http_methods(["POST"])
def soap_endpoint(request: HttpRequest) -> HttpResponse:
    """PayFiP's SOAP 1.1 endpoint: creerPaiementSecurise, recupererDetailPaiementSecurise,
    recupererDetailClient. Faults come with HTTP 500, as SOAP 1.1 wants."""
    send_due_notifications()
    body = _read_limited(request)
    if body is None:
        return HttpResponse("Request too large", status=413, content_type="text/plain")
    if not request.META.get("CONTENT_TYPE", "").startswith("text/xml"):
        _record(request, body, 415)
        return HttpResponse("SOAP 1.1 needs text/xml", status=415, content_type="text/plain")

    behaviour = SimulatorBehaviour.current()
    if behaviour.soap_mode == SoapMode.SLOW:
        time.sleep(min(behaviour.slow_seconds, MAX_SLOW_SECONDS))
    elif behaviour.soap_mode == SoapMode.UNAVAILABLE:
        _record(request, body, 503)
        return HttpResponse(
            "<html><body><h1>503 Service indisponible</h1></body></html>",
            status=503,
            content_type="text/html; charset=utf-8",
        )
    elif behaviour.soap_mode == SoapMode.MALFORMED:
        _record(request, body, 200)
        return HttpResponse(
            b"<?xml version='1.0'?><S:Envelope xmlns:S='broken'><S:Body><ns2:trunc",
            content_type=XML,
        )

    try:
        name, fields = protocol.parse_request(body)
    except protocol.SoapRequestError as exc:
        _record(request, body, 500)
        return HttpResponse(protocol.client_fault(str(exc)), status=500, content_type=XML)
    try:
        if name == "creerPaiementSecurise":
            operation = operations.create_operation(fields, own_base=base_url(request))
            answer = protocol.response(name, [("idOp", operation.idop)])
        elif name == "recupererDetailPaiementSecurise":
            answer = protocol.response(name, operations.detail_fields(fields["idOp"]))
        else:
            answer = protocol.response(name, operations.client_fields(fields["numCli"]))
    except operations.OperationFault as fault:
        _record(request, body, 500, name, fault.code)
        return HttpResponse(protocol.functional_fault(fault.code), status=500, content_type=XML)
    _record(request, body, 200, name)
    return HttpResponse(answer, content_type=XML)


# --- Payment page -----------------------------------------------------------------------

REFUSAL_STATUS = {"P1": 404, "P3": 409, "P4": 410}


def _refusal(request: HttpRequest, code: str) -> HttpResponse:
    texts = {
        "P1": _("This payment is unknown."),
        "P3": _("This payment has already been used: it cannot be paid again."),
        "P4": _("This payment page has expired: it is valid for %(minutes)s minutes.")
        % {"minutes": PAGE_VALID_MINUTES},
    }
    return render(
        request,
        "payfip_simulator/refused.html",
        {"code": code, "text": texts[code]},
        status=REFUSAL_STATUS[code],
    )


def _page(request: HttpRequest, operation: SimulatedOperation, card_form, choice_form):
    return render(
        request,
        "payfip_simulator/payment_page.html",
        {
            "operation": operation,
            "amount": format_cents(operation.montant_cents),
            "card_form": card_form,
            "choice_form": choice_form,
            "expires_at": operation.page_expires_at(),
        },
    )


@require_http_methods(["GET", "POST"])
def payment_page(request: HttpRequest) -> HttpResponse:
    """paiementws.web?idop=<idOp>: the debt, the amount, the e-mail and a card form."""
    send_due_notifications()
    idop = request.GET.get("idop") or request.GET.get("idOp") or request.POST.get("idop", "")
    try:
        operation = operations.operation_for_page(idop, own_base=base_url(request))
    except operations.PageRefusal as refusal:
        return _refusal(request, refusal.code)

    if request.method == "GET":
        operations.mark_opened(operation)
        return _page(
            request,
            operation,
            CardForm(initial=CardForm.initial_values()),
            NotificationChoiceForm(),
        )

    choice_form = NotificationChoiceForm(request.POST)
    if request.POST.get("action") == "abandon":
        card_form = CardForm(initial=CardForm.initial_values())
        result = operations.ABANDONED
    else:
        card_form = CardForm(request.POST)
        result = card_form.cleaned_data["outcome"] if card_form.is_valid() else ""
    if not result or not choice_form.is_valid():
        return _page(request, operation, card_form, choice_form)
    if not operations.finish(operation, result, choice_form.cleaned_data["notification"]):
        return _refusal(request, "P3")
    send_due_notifications(operation_id=operation.pk)
    return HttpResponseRedirect(operations.redirect_url(operation))


# --- Switches page (demo) and test receiver ---------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(GESTIONNAIRE)
def control_page(request: HttpRequest) -> HttpResponse:
    """The simulator's switches and its latest payments and notifications (their idOps
    open their payment pages): for the service's gestionnaires only."""
    behaviour = SimulatorBehaviour.current()
    form = BehaviourForm(instance=behaviour)
    if request.method == "POST":
        if request.POST.get("action") == "flush":
            count = send_due_notifications()
            sent = ngettext(
                "%(count)d notification sent.", "%(count)d notifications sent.", count
            ) % {"count": count}
            messages.success(request, sent)
            return redirect("payfip_simulator:control")
        form = BehaviourForm(request.POST, instance=behaviour)
        if form.is_valid():
            form.save()
            messages.success(request, _("The simulator's settings are saved."))
            return redirect("payfip_simulator:control")
    else:
        send_due_notifications()
    recent = SimulatedOperation.objects.prefetch_related("notifications")[:20]
    return render(
        request,
        "payfip_simulator/control.html",
        {"form": form, "operations": recent},
        status=400 if form.errors else 200,
    )


@csrf_exempt  # stands for a site's urlnotif, called server to server
@require_http_methods(["GET", "POST"])
def notification_sink(request: HttpRequest) -> HttpResponse:
    """A urlnotif for tests and demos: records what it receives, answers 200."""
    body = request.body[:2000].decode("utf-8", errors="replace")
    data = request.POST if request.method == "POST" else request.GET
    idop = data.get("idOp") or data.get("idop") or ""
    ReceivedNotification.objects.create(
        method=request.method,
        idop=idop[:64],
        query=request.META.get("QUERY_STRING", "")[:2000],
        body=body,
    )
    return HttpResponse("OK", content_type="text/plain")
