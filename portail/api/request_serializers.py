"""Requests (démarches) as the API gives them, and their refusals as API errors.

- `request_json(request)`: the family's view `{"id", "number", "procedure", "status",
  "created_at", "data", "events"}` (REQUEST_SCHEMA); `staff_request_json(request)` adds
  the household, the dates and the assignee (STAFF_REQUEST_SCHEMA). Prefetch what they
  read with `with_events()`.
- `event_json(event)`: `{"at", "status", "by", "message"}`.
- `refused(error)`: the ONE mapping of a procedures' RequestRefused to an ApiError
  (REFUSAL_STATUS: not_found 404, forbidden 403, status / closed / already_enrolled 409,
  invalid_request / invalid_file 422 with `fields`: {name: message}, the file's own
  refusals under "file").

Dates and datetimes are ISO 8601 (datetimes in the portal's time zone, with their offset).
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from portail.api import openapi
from portail.api.http import ApiError
from portail.procedures.models import (
    EventKind,
    ProcedureCode,
    Request,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
)
from portail.procedures.statuses import RequestRefused

# RequestRefused.code -> HTTP status. A code not listed is a 422.
REFUSAL_STATUS = {
    "not_found": 404,
    "forbidden": 403,
    "status": 409,
    "closed": 409,
    "already_enrolled": 409,
    "invalid_request": 422,
    "invalid_file": 422,
}

# What families do not see of a request's history: which agent it is assigned to.
STAFF_ONLY_EVENTS = (EventKind.ASSIGNED,)

MESSAGE_MAX = 5000

PROCEDURE_CODE = openapi.enum(
    *ProcedureCode.values,
    description="contact, address_change, qf_declaration, family_file, enrolment, early_childhood.",
)
STATUS = openapi.enum(
    *RequestStatus.values,
    description="draft (not sent yet), submitted, in_progress, needs_info (to be completed "
    "by the family, then submitted again), accepted, refused, waiting_list (early "
    "childhood only: the commission's waiting list).",
)

DATA_DESCRIPTION = """\
The procedure's fields. Dates are YYYY-MM-DD; keys not listed are refused.

- `contact`: `service` (text, 100), `subject` (200), `message` (5000).
- `address_change`: `line` (300), `postal_code` (5 digits), `city` (100), `effective_on`
  (a date within a year of today).
- `qf_declaration`: `quotient` (integer, 0 to 99999), `valid_from` (within two years of
  today), `valid_to` (optional: until further notice; not before `valid_from`). Accepted,
  it sets the household's quotient familial from `valid_from`: days booked from then on
  are priced with its band; days already booked keep their price.
- `enrolment`: `child_id` (a child of the household), `activity_id`, `valid_from`,
  `valid_to` (not over, at most 400 days). Accepted, the child is enrolled (GET /planning).
- `family_file`: `school_year` (the year it starts in, last year to next year),
  `guardians` (1 to 4 of `{"name", "phone", "email"?}`), `children` (1 to 12 of
  `{"child_id", "allergies"?, "pai": true|false, "doctor"?}`, each child once),
  `pickup_persons` (0 to 10 of `{"name", "phone", "relationship"?}`), `image_rights`
  (true|false).
- `early_childhood`: `child_first_name`, `child_last_name`, `birth_date` (born, at most six
  years ago) or `expected_on` (expected), not both; `start_on` (today to two years ahead),
  `days_per_week` (1-5), `hours_per_week` (1-60), `sites` (1 to 5 distinct site ids, in
  the order wished).

A draft may leave fields out (what is given must be right); submitting checks them all."""

DATA = {"type": "object", "description": DATA_DESCRIPTION}

EVENT_SCHEMA = openapi.component(
    "RequestEvent",
    openapi.obj(
        {
            "at": {**openapi.DATETIME, "description": "When (Europe/Paris, with its offset)."},
            "status": {**STATUS, "description": "The request's status after this event."},
            "by": {
                "type": "string",
                "description": "The guardian's e-mail, or “Service gestionnaire” for staff "
                "(in the request's language).",
            },
            "message": {
                "type": "string",
                "description": "The message, the reason of a refusal, what is missing, or "
                "the name of a document added; may be empty.",
            },
        },
        description="One line of the request's history: a change of status, a message, a "
        "document added.",
    ),
)
REQUEST_FIELDS: dict[str, openapi.Schema] = {
    "id": openapi.INTEGER,
    "number": {
        **openapi.INTEGER,
        "description": "The number families quote (“15637”): unique, never reused.",
    },
    "procedure": PROCEDURE_CODE,
    "status": STATUS,
    "created_at": openapi.DATETIME,
    "data": DATA,
    "events": {**openapi.array(EVENT_SCHEMA), "description": "Oldest first."},
}
REQUEST_SCHEMA = openapi.component("Request", openapi.obj(REQUEST_FIELDS))
STAFF_REQUEST_SCHEMA = openapi.component(
    "StaffRequest",
    openapi.obj(
        {
            **REQUEST_FIELDS,
            "household_id": openapi.INTEGER,
            "household": {"type": "string", "description": "The household's name."},
            "submitted_at": {
                **openapi.nullable(openapi.DATETIME),
                "description": "The first submission (the inbox's age); null for a draft.",
            },
            "decided_at": {
                **openapi.nullable(openapi.DATETIME),
                "description": "When it was accepted or refused; null before.",
            },
            "assigned_to": {
                **openapi.nullable(openapi.STRING),
                "description": "The e-mail of the staff member processing it, or null.",
            },
            "events": {
                **openapi.array(EVENT_SCHEMA),
                "description": "Oldest first; `by` is the e-mail of whoever acted.",
            },
        },
    ),
)
ATTACHMENT_SCHEMA = openapi.component(
    "RequestAttachment",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "filename": {
                "type": "string",
                "description": "The file's name, cleaned, its extension saying its real type.",
            },
            "size": {**openapi.INTEGER, "description": "In bytes."},
        }
    ),
)


def refused(error: RequestRefused) -> ApiError:
    """The API's answer to a refusal of the procedures' services (see REFUSAL_STATUS)."""
    status = REFUSAL_STATUS.get(error.code, 422)
    extra: dict[str, Any] = {}
    if status == 422:
        fields = dict(error.fields)
        if error.code == "invalid_file" and not fields:  # the file itself: its content, size
            fields = {"file": error.message}
        extra["fields"] = fields
    return ApiError(status, error.code, error.message, **extra)


def with_events(requests: QuerySet[Request]) -> QuerySet[Request]:
    """`requests` with what request_json and staff_request_json read, in 2 queries."""
    return requests.select_related("procedure", "household", "assigned_to").prefetch_related(
        Prefetch("events", queryset=RequestEvent.objects.order_by("at", "pk"))
    )


def _local(moment):
    return timezone.localtime(moment) if moment is not None else None


def event_json(event: RequestEvent, *, staff: bool = False) -> dict[str, Any]:
    return {
        "at": _local(event.at),
        "status": event.status,
        "by": (event.actor_label or event.who) if staff else event.who,
        "message": event.message,
    }


def request_json(request: Request) -> dict[str, Any]:
    """The family's view of a request (its household's guardians)."""
    return {
        "id": request.pk,
        "number": request.number,
        "procedure": request.procedure.code,
        "status": request.status,
        "created_at": _local(request.created_at),
        "data": request.data,
        "events": [
            event_json(event)
            for event in request.events.all()
            if event.kind not in STAFF_ONLY_EVENTS
        ],
    }


def staff_request_json(request: Request) -> dict[str, Any]:
    """The service's view: the family's, plus who and when, and the whole history."""
    return {
        **request_json(request),
        "household_id": request.household_id,
        "household": request.household.name,
        "submitted_at": _local(request.submitted_at),
        "decided_at": _local(request.decided_at),
        "assigned_to": request.assigned_to.email if request.assigned_to else None,
        "events": [event_json(event, staff=True) for event in request.events.all()],
    }


def attachment_json(attachment: RequestAttachment) -> dict[str, Any]:
    return {"id": attachment.pk, "filename": attachment.original_name, "size": attachment.size}
