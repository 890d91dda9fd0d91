"""The service's inbox of requests (démarches), for gestionnaires only (an attendance agent
or a kitchen account gets 403), through portail.procedures.services with the channel "api":

- GET staff/requests?status=...&procedure=...&page=...: requests sent by families (never
  their drafts), oldest submission first, 100 a page;
- POST staff/requests/{id}/decision with `{"decision", "message"}`: accept (its effect
  applied: the address, the QF, the enrolment, the family file), refuse (the reason
  required), ask for more (what is missing required), or, for early childhood, put on the
  commission's waiting list. The answer is the request after the decision.
"""

import re

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.fields import invalid, optional, read_choice, read_str
from portail.api.http import ApiRequest, endpoint, json_response
from portail.api.request_serializers import (
    MESSAGE_MAX,
    PROCEDURE_CODE,
    STAFF_REQUEST_SCHEMA,
    refused,
    staff_request_json,
    with_events,
)
from portail.backoffice import requests as inbox
from portail.backoffice.permissions import GESTIONNAIRE
from portail.procedures import services
from portail.procedures.models import ProcedureCode, Request, RequestStatus
from portail.procedures.statuses import RequestRefused
from portail.reservations.models import Channel

PAGE_SIZE = 100
MAX_PAGE = 100_000
DIGITS = re.compile(r"[0-9]{1,6}")
# What staff see: what families sent (a draft is still the family's).
SENT_STATUSES = [status for status in RequestStatus.values if status != RequestStatus.DRAFT]

DECISION_SCHEMA = openapi.component(
    "RequestDecision",
    openapi.obj(
        {
            "decision": openapi.enum(
                *services.DECISIONS,
                description="accept (its effect applied at once), refuse, ask_more (back "
                "to the family: needs_info), waiting_list (early childhood only).",
            )
        },
        {
            "message": openapi.or_null(
                {
                    **openapi.text(MESSAGE_MAX),
                    "description": "Required to refuse (the reason the family reads) and to "
                    "ask for more (what is missing); optional otherwise. E-mailed to the "
                    "family with the new status.",
                }
            )
        },
    ),
)
NOT_FOUND = "`not_found`: no such request."


def _page(request: ApiRequest) -> int:
    value = optional(read_str, request.GET, "page")
    if value is None:
        return 1
    if not DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_PAGE:
        raise invalid(
            request.GET,
            "page",
            _("The field “%(field)s” must be a page number from 1 to %(max)s."),
            max=str(MAX_PAGE),
        )
    return int(value)


@endpoint(
    methods=("GET",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="The requests sent by families (the inbox)",
    description="Requests in any status but `draft`, oldest submission first (the inbox's "
    f"age), {PAGE_SIZE} a page: a page with fewer is the last one. Each with its "
    "household, assignee and whole history.",
    query=[
        openapi.query_param(
            "status", openapi.enum(*SENT_STATUSES), "Only the requests in this status."
        ),
        openapi.query_param("procedure", PROCEDURE_CODE, "Only the requests of this procedure."),
        openapi.query_param(
            "page",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            f"The page, from 1 (default), {PAGE_SIZE} requests a page.",
        ),
    ],
    response=openapi.array(STAFF_REQUEST_SCHEMA),
)
def staff_request_list(request: ApiRequest) -> HttpResponse:
    status = optional(read_choice, request.GET, "status", choices=SENT_STATUSES)
    procedure = optional(read_choice, request.GET, "procedure", choices=ProcedureCode.values)
    page = _page(request)
    # The back office's inbox query (every request sent, oldest submission first).
    filters = inbox.Filters(procedure=procedure or "", status=status or inbox.ALL)
    rows = inbox.inbox(filters, user=request.user, today=timezone.localdate())
    start = (page - 1) * PAGE_SIZE
    rows = with_events(rows)[start : start + PAGE_SIZE]
    return json_response([staff_request_json(row) for row in rows])


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Decide on a request",
    description="From `submitted`, `in_progress` (or `waiting_list` to accept or refuse). "
    "Accepting applies the request's effect in the same transaction: a change of address "
    "changes the household's address; a QF declaration its quotient familial from its "
    "date (days booked from then on take the new band); an enrolment enrols the child "
    "(the planning then shows the activity); a family file is recorded for its school "
    "year. The family is e-mailed the new status.",
    request=DECISION_SCHEMA,
    response=STAFF_REQUEST_SCHEMA,
    errors={
        404: NOT_FOUND,
        409: "`status`: the request's status does not allow this decision (e.g. decided "
        "already, a draft, or a waiting list outside early childhood); `already_enrolled`: "
        "the child was enrolled in the activity meanwhile, nothing changed.",
        422: "`invalid_request`: no message to refuse or to ask for more, or the effect "
        "could not be applied; `fields` names the field.",
    },
)
def staff_request_decision(request: ApiRequest, request_id: int) -> HttpResponse:
    decision = read_choice(request.data, "decision", services.DECISIONS)
    message = optional(read_str, request.data, "message", max_length=MESSAGE_MAX)
    try:
        services.decide(request_id, decision, message, actor=request.user, channel=Channel.API)
    except RequestRefused as error:
        raise refused(error) from None
    found = with_events(Request.objects.filter(pk=request_id)).get()
    return json_response(staff_request_json(found))
