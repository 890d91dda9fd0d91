"""Requests: every change goes through these functions (pages, the API and commands alike).

Family functions take the household the login acts for and a request id: a request of
another household is "not_found", exactly like an unknown id. Staff functions take the
staff user (User.is_staff; the pages and the API check the gestionnaire role). Each runs
in one transaction that first locks the request's row (core.locking), re-reads its status,
checks the move (statuses.py), writes the change and its history line (RequestEvent:
who, when, channel, status after), applies the effect of an acceptance (effects.py) and
e-mails the family at each change of status (notices.py). Anything refused raises
statuses.RequestRefused and writes nothing.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.core.locking import locked
from portail.families.models import Guardian, Household
from portail.procedures import effects, notices, statuses, uploads
from portail.procedures.forms import validate
from portail.procedures.models import (
    EventKind,
    Procedure,
    Request,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
)
from portail.procedures.statuses import RequestRefused

MESSAGE_MAX = 5000
MAX_ATTACHMENTS = 20

ACCEPT = statuses.ACCEPT
REFUSE = statuses.REFUSE
ASK_MORE = statuses.ASK_MORE
WAITING_LIST = statuses.WAITING_LIST
DECISIONS = (ACCEPT, REFUSE, ASK_MORE, WAITING_LIST)


# --- helpers ---------------------------------------------------------------------------


def _not_found() -> RequestRefused:
    return RequestRefused("not_found", _("This request does not exist."))


def _check_guardian(household: Household, actor: User) -> None:
    if (
        actor is None
        or not Guardian.objects.filter(
            user_id=actor.pk, household_id=household.pk, user__is_active=True
        ).exists()
    ):
        raise RequestRefused("forbidden", _("You may not do this on this request."))


def _check_staff(actor: User) -> None:
    if actor is None or not actor.is_staff or not actor.is_active:
        raise RequestRefused("forbidden", _("You may not do this on this request."))


def _lock(request_id, household: Household | None = None) -> Request:
    if isinstance(request_id, bool) or not isinstance(request_id, int):
        raise _not_found()
    rows = Request.objects.select_related("procedure", "household").filter(pk=request_id)
    if household is not None:
        rows = rows.filter(household_id=household.pk)
    found = locked(rows)
    if not found:
        raise _not_found()
    return found[0]


def _text(value, *, field: str, required_message: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RequestRefused("invalid_request", required_message, {field: required_message})
    value = value.strip()
    if len(value) > MESSAGE_MAX:
        message = _("At most %(count)d characters.") % {"count": MESSAGE_MAX}
        raise RequestRefused("invalid_request", message, {field: message})
    return value


def _procedure(code) -> Procedure:
    procedure = Procedure.objects.filter(code=code).first() if isinstance(code, str) else None
    if procedure is None:
        message = _("This procedure does not exist.")
        raise RequestRefused("invalid_request", message, {"procedure": message})
    return procedure


def _check_open(procedure: Procedure) -> None:
    if not procedure.is_open:
        raise RequestRefused("closed", _("This procedure is not open at the moment."))


def record(
    request: Request,
    kind: str,
    *,
    actor: User | None,
    channel: str,
    message: str = "",
    attachment: RequestAttachment | None = None,
) -> RequestEvent:
    """The one writer of a request's history."""
    return RequestEvent.objects.create(
        request=request,
        at=timezone.now(),
        kind=kind,
        status=request.status,
        actor=actor,
        actor_is_staff=bool(actor and actor.is_staff),
        actor_label=actor.email if actor else "",
        channel=channel,
        message=message,
        attachment=attachment,
    )


def _move(request: Request, move: str, role: str, *, actor, channel, message="") -> None:
    target = statuses.check_move(
        move, status=request.status, procedure=request.procedure.code, actor_role=role
    )
    now = timezone.now()
    request.status = target
    request.updated_at = now
    if target == RequestStatus.SUBMITTED and request.submitted_at is None:
        request.submitted_at = now
    if target in (RequestStatus.ACCEPTED, RequestStatus.REFUSED):
        request.decided_at = now
    request.save()
    record(request, EventKind.STATUS_CHANGE, actor=actor, channel=channel, message=message)
    notices.status_changed(request, message)


# --- the family ------------------------------------------------------------------------


def create_draft(
    household: Household, procedure_code: str, data, *, actor: User, channel: str
) -> Request:
    """A new draft with what the family has filled in so far (partial data checked)."""
    return _create(household, procedure_code, data, actor=actor, channel=channel, partial=True)


def _create(household, procedure_code, data, *, actor, channel, partial: bool) -> Request:
    _check_guardian(household, actor)
    procedure = _procedure(procedure_code)
    _check_open(procedure)
    cleaned = validate(procedure.code, data if data is not None else {}, household, partial=partial)
    with transaction.atomic():
        now = timezone.now()
        request = Request.objects.create(
            household=household,
            procedure=procedure,
            data=cleaned,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        request.number = request.pk
        request.save(update_fields=["number"])
        record(request, EventKind.STATUS_CHANGE, actor=actor, channel=channel)
    return request


def update_draft(
    household: Household, request_id: int, data, *, actor: User, channel: str
) -> Request:
    """Replace the data of a draft or of a request to complete (needs_info)."""
    _check_guardian(household, actor)
    with transaction.atomic():
        request = _lock(request_id, household)
        statuses.check_status(request.status, statuses.EDITABLE)
        request.data = validate(request.procedure.code, data, household, partial=True)
        request.updated_at = timezone.now()
        request.save(update_fields=["data", "updated_at"])
    return request


def submit(household: Household, request_id: int, *, actor: User, channel: str) -> Request:
    """Send a draft (or a completed needs_info request): every rule is checked now."""
    _check_guardian(household, actor)
    with transaction.atomic():
        request = _lock(request_id, household)
        statuses.check_status(request.status, statuses.EDITABLE)
        _check_open(request.procedure)
        request.data = validate(request.procedure.code, request.data, household)
        _move(request, statuses.SUBMIT, statuses.FAMILY, actor=actor, channel=channel)
    return request


_submit = submit


def create_request(
    household: Household,
    procedure_code: str,
    data,
    *,
    submit: bool,
    actor: User,
    channel: str,
) -> Request:
    """A draft, submitted at once when `submit` (all or nothing: invalid data for a
    submission creates no draft)."""
    with transaction.atomic():
        request = _create(
            household, procedure_code, data, actor=actor, channel=channel, partial=not submit
        )
        if submit:
            request = _submit(household, request.pk, actor=actor, channel=channel)
    return request


def add_message(
    household: Household, request_id: int, text, *, actor: User, channel: str
) -> RequestEvent:
    _check_guardian(household, actor)
    text = _text(text, field="text", required_message=_("Write a message."))
    with transaction.atomic():
        request = _lock(request_id, household)
        statuses.check_status(request.status, statuses.CONVERSATION)
        return record(request, EventKind.FAMILY_MESSAGE, actor=actor, channel=channel, message=text)


def add_attachment(
    household: Household,
    request_id: int,
    file,
    *,
    actor: User,
    channel: str,
    document: str = "",
) -> RequestAttachment:
    """Keep a document (PDF, JPEG or PNG, checked by uploads.py) with the request.
    `document`: which of the procedure's required documents it is ("" for another one,
    documents.py). A refused file raises RequestRefused("invalid_file") and nothing is kept."""
    _check_guardian(household, actor)
    document = document.strip() if isinstance(document, str) else None
    with transaction.atomic():
        request = _lock(request_id, household)
        statuses.check_status(request.status, statuses.OPEN)
        if document is None or (
            document and document not in request.procedure.required_document_list
        ):
            text = _("Choose one of the documents this procedure asks for, or “Other document”.")
            raise RequestRefused("invalid_file", text, {"document": text})
        if request.attachments.count() >= MAX_ATTACHMENTS:
            raise RequestRefused(
                "invalid_file",
                _("At most %(count)d documents per request.") % {"count": MAX_ATTACHMENTS},
            )
        try:
            stored = uploads.save_upload(file, prefix=f"requests/{request.number}")
        except uploads.FileRefused as refused:
            raise RequestRefused("invalid_file", refused.message) from refused
        try:
            attachment = RequestAttachment.objects.create(
                request=request,
                name=stored.name,
                original_name=stored.original_name,
                content_type=stored.content_type,
                size=stored.size,
                document=document,
                uploaded_by=actor,
                created_at=timezone.now(),
            )
            record(
                request,
                EventKind.ATTACHMENT,
                actor=actor,
                channel=channel,
                message=stored.original_name,
                attachment=attachment,
            )
        except BaseException:
            uploads.delete_stored(stored.name)
            raise
    return attachment


# --- staff -----------------------------------------------------------------------------


def take(request_id: int, *, actor: User, channel: str) -> Request:
    """A staff member starts processing a submitted request (and is assigned to it unless
    someone else was)."""
    _check_staff(actor)
    with transaction.atomic():
        request = _lock(request_id)
        if request.assigned_to_id is None:
            request.assigned_to = actor
        _move(request, statuses.TAKE, statuses.STAFF, actor=actor, channel=channel)
    return request


def assign(request_id: int, assignee: User | None, *, actor: User, channel: str) -> Request:
    """Give a request that is not final to a staff member (None: to nobody)."""
    _check_staff(actor)
    if assignee is not None and not assignee.is_staff:
        raise RequestRefused("invalid_request", _("Only a staff member can be assigned."))
    with transaction.atomic():
        request = _lock(request_id)
        statuses.check_status(request.status, statuses.CONVERSATION)
        request.assigned_to = assignee
        request.updated_at = timezone.now()
        request.save(update_fields=["assigned_to", "updated_at"])
        label = assignee.email if assignee else ""
        record(request, EventKind.ASSIGNED, actor=actor, channel=channel, message=label)
    return request


def staff_message(request_id: int, text, *, actor: User, channel: str) -> RequestEvent:
    """A message from the service to the family (e-mailed to it)."""
    _check_staff(actor)
    text = _text(text, field="message", required_message=_("Write a message."))
    with transaction.atomic():
        request = _lock(request_id)
        statuses.check_status(request.status, statuses.CONVERSATION)
        event = record(request, EventKind.STAFF_MESSAGE, actor=actor, channel=channel, message=text)
        notices.staff_wrote(request, text)
    return event


def ask_more(request_id: int, message, *, actor: User, channel: str) -> Request:
    """Back to the family, saying what is missing (required): status needs_info."""
    _check_staff(actor)
    message = _text(
        message, field="message", required_message=_("Say what the family must complete.")
    )
    with transaction.atomic():
        request = _lock(request_id)
        _move(request, ASK_MORE, statuses.STAFF, actor=actor, channel=channel, message=message)
    return request


def accept(request_id: int, *, actor: User, channel: str, message: str = "") -> Request:
    """Accept and apply the request's effect in the same transaction (effects.py)."""
    _check_staff(actor)
    message = message.strip() if isinstance(message, str) else ""
    with transaction.atomic():
        request = _lock(request_id)
        statuses.check_move(
            ACCEPT,
            status=request.status,
            procedure=request.procedure.code,
            actor_role=statuses.STAFF,
        )
        effects.apply(request, actor=actor, now=timezone.now())
        _move(request, ACCEPT, statuses.STAFF, actor=actor, channel=channel, message=message)
    return request


def refuse(request_id: int, reason, *, actor: User, channel: str) -> Request:
    """Refuse, with the reason the family reads (required)."""
    _check_staff(actor)
    reason = _text(reason, field="message", required_message=_("Give the reason for the refusal."))
    with transaction.atomic():
        request = _lock(request_id)
        request.refusal_reason = reason
        _move(request, REFUSE, statuses.STAFF, actor=actor, channel=channel, message=reason)
    return request


def put_on_waiting_list(
    request_id: int, *, actor: User, channel: str, message: str = ""
) -> Request:
    """Early childhood: the commission puts the child on its waiting list."""
    _check_staff(actor)
    message = message.strip() if isinstance(message, str) else ""
    with transaction.atomic():
        request = _lock(request_id)
        _move(request, WAITING_LIST, statuses.STAFF, actor=actor, channel=channel, message=message)
    return request


def decide(request_id: int, decision: str, message, *, actor: User, channel: str) -> Request:
    """The API's decision: "accept", "refuse" (message: the reason), "ask_more" (message:
    what is missing) or "waiting_list" (early childhood)."""
    if decision == ACCEPT:
        return accept(request_id, actor=actor, channel=channel, message=message or "")
    if decision == REFUSE:
        return refuse(request_id, message, actor=actor, channel=channel)
    if decision == ASK_MORE:
        return ask_more(request_id, message, actor=actor, channel=channel)
    if decision == WAITING_LIST:
        return put_on_waiting_list(request_id, actor=actor, channel=channel, message=message or "")
    text = _("Unknown decision.")
    raise RequestRefused("invalid_request", text, {"decision": text})
