"""E-mails to the family about its requests, each guardian in their own language, sent
through families.messaging (so each is kept in "Mes documents"): at every change of
status, and when the service writes a message."""

from django.utils.translation import gettext as _

from portail.families import messaging
from portail.families.models import Document
from portail.procedures.models import ProcedureCode, Request, RequestStatus
from portail.procedures.statuses import commission_label, status_label


def _status(request: Request) -> str:
    if request.procedure.code == ProcedureCode.EARLY_CHILDHOOD:
        return commission_label(request.status)
    return status_label(request.status)


def _names(request: Request) -> dict:
    return {"number": request.number, "title": request.procedure.title}


def _send(request: Request, write) -> None:  # noqa: ANN001 - () -> (subject, lines)
    def text() -> tuple[str, str]:
        subject, lines = write()
        return subject, "\n\n".join(lines)

    messaging.send_to_household_in_languages(
        request.household, kind=Document.Kind.MESSAGE, write=text
    )


def status_changed(request: Request, message: str = "") -> None:
    """Tell the family its request's new status (and the service's message or reason)."""

    def write() -> tuple[str, list[str]]:
        names = _names(request)
        lines = [
            _("Your request %(number)s (%(title)s) is now: %(status)s.")
            % {**names, "status": _status(request)}
        ]
        if request.status == RequestStatus.SUBMITTED:
            lines.append(_("The service has received it and will answer you here."))
        elif request.status == RequestStatus.NEEDS_INFO:
            lines.append(
                _("The service needs more information: complete your request and send it again.")
            )
        elif request.status == RequestStatus.REFUSED:
            lines.append(_("Reason: %(reason)s") % {"reason": request.refusal_reason})
        if message and request.status != RequestStatus.REFUSED:
            lines.append(_("Message from the service: %(message)s") % {"message": message})
        return _("Your request %(number)s - %(title)s") % names, lines

    _send(request, write)


def staff_wrote(request: Request, message: str) -> None:
    def write() -> tuple[str, list[str]]:
        subject = _("New message on your request %(number)s - %(title)s") % _names(request)
        return subject, [_("Message from the service: %(message)s") % {"message": message}]

    _send(request, write)
