"""The household's requests (démarches en ligne), through portail.procedures.services
with the channel "api":

- GET requests: the household's requests, newest first; POST requests with `{"procedure",
  "data", "submit"}`: a draft, or a request sent at once (201);
- GET requests/{id}; PATCH requests/{id} (a draft, or one to complete: `data` replaces
  what was filled in, `submit` sends it);
- GET requests/{id}/attachments, POST requests/{id}/attachments (multipart field `file`,
  optional `document`), GET requests/{id}/attachments/{attachment_id} (the file);
- POST requests/{id}/messages with `{"text"}`.

Another household's request answers 404 `not_found`, exactly like one that does not
exist, and so do its documents. The services' refusals become API errors in one place
(request_serializers.refused).
"""

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.fields import optional, read_bool, read_choice, read_object, read_str
from portail.api.http import ApiError, ApiRequest, endpoint, get_or_404, json_response
from portail.api.request_serializers import (
    ATTACHMENT_SCHEMA,
    DATA,
    EVENT_SCHEMA,
    MESSAGE_MAX,
    PROCEDURE_CODE,
    REQUEST_SCHEMA,
    attachment_json,
    event_json,
    refused,
    request_json,
    with_events,
)
from portail.procedures import services, statuses, uploads
from portail.procedures.models import ProcedureCode, Request
from portail.procedures.statuses import RequestRefused
from portail.reservations.models import Channel

CREATE_SCHEMA = openapi.component(
    "RequestCreate",
    openapi.obj(
        {"procedure": PROCEDURE_CODE},
        {
            "data": openapi.or_null(DATA),
            "submit": openapi.or_null(
                {
                    **openapi.BOOLEAN,
                    "description": "true: send it now (every field is checked); false or "
                    "left out: keep it as a draft (only the fields given are checked).",
                }
            ),
        },
    ),
)
UPDATE_SCHEMA = openapi.component(
    "RequestUpdate",
    openapi.obj(
        {},
        {
            "data": {
                **DATA,
                "description": "Replaces what was filled in so far.\n\n" + DATA["description"],
            },
            "submit": {
                **openapi.BOOLEAN,
                "description": "true: send it (every field is checked, after `data` if given).",
            },
        },
        minProperties=1,
    ),
)
MESSAGE_SCHEMA = openapi.component(
    "RequestMessage", openapi.obj({"text": openapi.text(MESSAGE_MAX)})
)

NOT_FOUND = "`not_found`: no such request in the caller's household."
INVALID_REQUEST = (
    "`invalid_request`: the data is not valid; `fields` gives one message per field "
    '(`{"quotient": "..."}`, `"guardians.0.phone"` inside lists).'
)
STATUS_CONFLICT = "`status`: the request's status does not allow this now"


def _refusals(call, *args, **kwargs):
    """`call(*args, **kwargs)`, a procedures' service; its refusal as an API error."""
    try:
        return call(*args, **kwargs)
    except RequestRefused as error:
        raise refused(error) from None


def _own(request: ApiRequest, request_id: int) -> Request:
    """The caller's household's request, else 404 `not_found` (before reading the body,
    so that another household's request answers exactly like an unknown one)."""
    return get_or_404(Request.objects.filter(household=request.household), pk=request_id)


def _answer(request: ApiRequest, request_id: int, status: int = 200) -> HttpResponse:
    found = get_or_404(
        with_events(Request.objects.filter(household=request.household)), pk=request_id
    )
    return json_response(request_json(found), status=status)


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The household's requests",
    description="Every démarche of the caller's household, drafts included, newest first, "
    "each with its history.",
    response=openapi.array(REQUEST_SCHEMA),
)
def request_list(request: ApiRequest) -> HttpResponse:
    rows = with_events(Request.objects.filter(household=request.household))
    return json_response([request_json(row) for row in rows.order_by("-created_at", "-pk")])


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Start a request (a draft, or sent at once)",
    description="With `submit: true` the request is sent (status `submitted`) and the "
    "service is told; invalid data then creates nothing. Without it, a draft is kept "
    "(status `draft`): complete it with PATCH /requests/{id}. Documents are added "
    "afterwards (POST /requests/{id}/attachments).",
    request=CREATE_SCHEMA,
    response=REQUEST_SCHEMA,
    status=201,
    errors={
        409: "`closed`: the city has closed this procedure for now.",
        422: INVALID_REQUEST,
    },
)
def request_create(request: ApiRequest) -> HttpResponse:
    code = read_choice(request.data, "procedure", ProcedureCode.values)
    data = optional(read_object, request.data, "data", default={})
    submit = optional(read_bool, request.data, "submit", default=False)
    created = _refusals(
        services.create_request,
        request.household,
        code,
        dict(data),
        submit=submit,
        actor=request.user,
        channel=Channel.API,
    )
    return _answer(request, created.pk, status=201)


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="One request, with its history",
    response=REQUEST_SCHEMA,
    errors={404: NOT_FOUND},
)
def request_detail(request: ApiRequest, request_id: int) -> HttpResponse:
    return _answer(request, request_id)


@endpoint(
    methods=("PATCH",),
    auth="guardian",
    summary="Complete a draft or a request to complete, and send it",
    description="Only while the request is `draft` or `needs_info`. `data` replaces the "
    "data filled in so far (only what is given is checked); `submit: true` sends it "
    "(every field checked): status `submitted`. Both at once are all or nothing.",
    request=UPDATE_SCHEMA,
    response=REQUEST_SCHEMA,
    errors={
        404: NOT_FOUND,
        409: f"{STATUS_CONFLICT} (it is sent or decided); `closed`: the city has closed this "
        "procedure (it cannot be sent now).",
        422: INVALID_REQUEST,
    },
)
def request_update(request: ApiRequest, request_id: int) -> HttpResponse:
    current = _own(request, request_id)
    body = request.data
    data = read_object(body, "data") if "data" in body else None
    submit = read_bool(body, "submit") if "submit" in body else None
    if data is None and submit is None:
        raise ApiError(422, "invalid_field", _("Send “data”, “submit”, or both."), field="data")
    household, actor = request.household, request.user
    with transaction.atomic():  # the new data and the submission: both or neither
        if data is not None:
            _refusals(
                services.update_draft,
                household,
                request_id,
                dict(data),
                actor=actor,
                channel=Channel.API,
            )
        if submit:
            _refusals(services.submit, household, request_id, actor=actor, channel=Channel.API)
        elif data is None:  # {"submit": false}: nothing to change, if it may change
            _refusals(statuses.check_status, current.status, statuses.EDITABLE)
    return _answer(request, request_id)


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Write to the service about a request",
    description="While the request is submitted, in progress, to complete or on the "
    "waiting list (not a draft, not once decided). The answer is the new line of its "
    "history.",
    request=MESSAGE_SCHEMA,
    response=EVENT_SCHEMA,
    status=201,
    errors={
        404: NOT_FOUND,
        409: f"{STATUS_CONFLICT} (a draft, or decided).",
        422: "`invalid_request`: the message is too long (`fields`).",
    },
)
def message_add(request: ApiRequest, request_id: int) -> HttpResponse:
    _own(request, request_id)
    text = read_str(request.data, "text", max_length=MESSAGE_MAX)
    event = _refusals(
        services.add_message,
        request.household,
        request_id,
        text,
        actor=request.user,
        channel=Channel.API,
    )
    return json_response(event_json(event), status=201)


# --- documents -------------------------------------------------------------------------


def _the_file(request: ApiRequest):
    """The one file sent in the multipart field `file`; ApiError otherwise."""
    try:
        files = request.FILES.getlist("file")
        document = request.POST.get("document", "")
    except SuspiciousOperation:  # too many fields or files, fields too large
        raise ApiError(413, "request_too_large", _("The request body is too large.")) from None
    except MultiPartParserError:
        files = []
        document = ""
    if len(files) != 1:
        message = (
            _("Send one file per request.")
            if files
            else _("Send the file as multipart/form-data, in the field “file”.")
        )
        raise ApiError(422, "invalid_file", message, fields={"file": message})
    return files[0], document


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Add a document (justificatif) to a request",
    description="A `multipart/form-data` body (not JSON) with one file in the field "
    "`file`: a PDF, JPEG or PNG (checked by its content, not its name) of "
    "PORTAIL_UPLOAD_MAX_MB megabytes at most (10 by default); and, optionally, the field "
    "`document`: which of the documents the procedure asks for it is (one of its lines, "
    "as the city wrote it), empty for any other. Allowed until the request is decided. "
    "A refused file is not kept.",
    response=ATTACHMENT_SCHEMA,
    status=201,
    errors={
        404: NOT_FOUND,
        409: f"{STATUS_CONFLICT} (decided).",
        413: "`request_too_large`: too many form fields, or fields too large.",
        422: "`invalid_file`: no file in `file`, more than one, an empty file, a file too "
        "large, not a PDF, JPEG or PNG, damaged, too many documents on the request, or a "
        "`document` the procedure does not ask for; `message` says which and `fields` "
        "names the form field.",
    },
)
def attachment_add(request: ApiRequest, request_id: int) -> HttpResponse:
    _own(request, request_id)
    file, document = _the_file(request)
    attachment = _refusals(
        services.add_attachment,
        request.household,
        request_id,
        file,
        actor=request.user,
        channel=Channel.API,
        document=document,
    )
    return json_response(attachment_json(attachment), status=201)


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The documents of a request",
    description="Every document added to the request, oldest first.",
    response=openapi.array(ATTACHMENT_SCHEMA),
    errors={404: NOT_FOUND},
)
def attachment_list(request: ApiRequest, request_id: int) -> HttpResponse:
    found = _own(request, request_id)
    return json_response([attachment_json(a) for a in found.attachments.order_by("pk")])


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="Download a document of a request",
    description="The file as it was sent, with its detected type (`application/pdf`, "
    "`image/jpeg` or `image/png`, not JSON) and `Content-Disposition: attachment`.",
    content_type="application/octet-stream",
    errors={404: "`not_found`: no such document on a request of the caller's household."},
)
def attachment_file(request: ApiRequest, request_id: int, attachment_id: int) -> HttpResponse:
    found = _own(request, request_id)
    return uploads.stored_file_response(get_or_404(found.attachments.all(), pk=attachment_id))
