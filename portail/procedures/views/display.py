"""What the family's request page shows: its status in words and the page's context (the
data as sent, in words, comes from procedures.wording, as on the staff's page)."""

from django.conf import settings

from portail.families.models import Household
from portail.procedures import documents, statuses, wording
from portail.procedures.models import EventKind, ProcedureCode, Request, RequestStatus


def status_words(request: Request) -> str:
    """The status as the family reads it (early childhood: the commission's words)."""
    return _event_status(request, request.status)


def _event_status(request: Request, status: str) -> str:
    if request.procedure.code == ProcedureCode.EARLY_CHILDHOOD:
        return statuses.commission_label(status)
    return statuses.status_label(status)


def detail_context(request: Request, household: Household, **extra) -> dict:
    """Everything the request page shows; `extra` carries a form's errors and values."""
    events = list(request.events.order_by("at", "pk"))
    asked = ""
    for event in events:
        event.status_words = _event_status(request, event.status)
        if event.kind == EventKind.STATUS_CHANGE and event.status == RequestStatus.NEEDS_INFO:
            asked = event.message
    attachments = list(request.attachments.order_by("pk"))
    required = request.procedure.required_document_list
    checklist = (
        documents.checklist_of(required, (a.document for a in attachments)) if required else []
    )
    context = {
        "req": request,
        "procedure": request.procedure,
        "status_words": status_words(request),
        "items": wording.readable_data(request),
        "events": events,
        "conversation": [
            e for e in events if e.kind in (EventKind.FAMILY_MESSAGE, EventKind.STAFF_MESSAGE)
        ],
        "attachments": attachments,
        "checklist": checklist,
        "missing": [name for name, provided in checklist if not provided],
        "required_documents": required,
        "editable": request.status in statuses.EDITABLE,
        "can_upload": request.status in statuses.OPEN,
        "can_write": request.status in statuses.CONVERSATION,
        "is_refused": request.status == RequestStatus.REFUSED,
        "asked": asked if request.status == RequestStatus.NEEDS_INFO else "",
        "upload_max_mb": settings.PORTAIL_UPLOAD_MAX_MB,
        "message_text": "",
        "message_error": "",
        "upload_errors": [],
        "document_error": "",
        "document_value": "",
    }
    context.update(extra)
    return context
