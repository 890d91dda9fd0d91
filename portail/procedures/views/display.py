"""What the family's request page shows: the data as sent, in words (labels, names of
children, activities and sites, yes/no), its status in words, and the page's context."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from portail.activities.models import Activity
from portail.core.models import Site
from portail.families.models import Household
from portail.procedures import documents, statuses
from portail.procedures.models import EventKind, ProcedureCode, Request, RequestStatus
from portail.procedures.page_forms import label


@dataclass
class Item:
    label: str
    value: str = ""
    items: list["Item"] = field(default_factory=list)


def status_words(request: Request) -> str:
    """The status as the family reads it (early childhood: the commission's words)."""
    return _event_status(request, request.status)


def _event_status(request: Request, status: str) -> str:
    if request.procedure.code == ProcedureCode.EARLY_CHILDHOOD:
        return statuses.commission_label(status)
    return statuses.status_label(status)


def _names(request: Request, household: Household) -> dict:
    data = request.data if isinstance(request.data, dict) else {}
    child_ids = set()
    if isinstance(data.get("child_id"), int):
        child_ids.add(data["child_id"])
    for row in data.get("children") or []:
        if isinstance(row, dict) and isinstance(row.get("child_id"), int):
            child_ids.add(row["child_id"])
    names = {"child_id": {}, "activity_id": {}, "sites": {}}
    if child_ids:
        for child in household.children.filter(pk__in=child_ids):
            names["child_id"][child.pk] = f"{child.first_name} {child.last_name}"
    if isinstance(data.get("activity_id"), int):
        for activity in Activity.objects.filter(pk=data["activity_id"]).select_related("site"):
            names["activity_id"][activity.pk] = f"{activity.name} ({activity.site.name})"
    sites = [s for s in data.get("sites") or [] if isinstance(s, int)]
    if sites:
        names["sites"] = dict(Site.objects.filter(pk__in=sites).values_list("pk", "name"))
    return names


def _value(key: str, value, names: dict) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "–"
    if key in ("child_id", "activity_id"):
        return names[key].get(value, _("(no longer exists)"))
    if key == "school_year" and isinstance(value, int):
        return f"{value}-{value + 1}"
    if key in ("effective_on", "valid_from", "valid_to", "birth_date", "expected_on", "start_on"):
        parts = str(value).split("-")
        return "/".join(reversed(parts)) if len(parts) == 3 else str(value)
    return str(value)


def readable_data(request: Request, household: Household) -> list[Item]:
    """The request's data as labelled items (lists as numbered groups)."""
    data = request.data if isinstance(request.data, dict) else {}
    names = _names(request, household)
    items = []
    for key, value in data.items():
        if key == "sites" and isinstance(value, list):
            chosen = [
                Item(_("Choice %(number)d") % {"number": i + 1}, names["sites"].get(s, "–"))
                for i, s in enumerate(value)
            ]
            items.append(Item(label(key), "" if chosen else "–", chosen))
        elif isinstance(value, list):
            group = Item(label(key), "" if value else _("None"))
            for index, row in enumerate(value):
                row = row if isinstance(row, dict) else {}
                title = f"{index + 1}."
                if key == "children" and "child_id" in row:
                    title = names["child_id"].get(row["child_id"], title)
                group.items.append(
                    Item(
                        title,
                        "",
                        [
                            Item(label(k), _value(k, v, names))
                            for k, v in row.items()
                            if not (key == "children" and k == "child_id")
                        ],
                    )
                )
            items.append(group)
        else:
            items.append(Item(label(key), _value(key, value, names)))
    return items


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
        "items": readable_data(request, household),
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
