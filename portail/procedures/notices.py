"""E-mails to the family about its requests, in the household's language, sent through
families.messaging (so each is kept in "Mes documents"): at every change of status, and
when the service writes a message."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portail.accounts import emails
from portail.families import messaging
from portail.families.models import Document, Household
from portail.procedures.models import ProcedureCode, Request, RequestStatus
from portail.procedures.statuses import commission_label, status_label


def household_language(household: Household) -> str:
    guardian = household.guardians.select_related("user").order_by("pk").first()
    return emails.user_language(guardian.user) if guardian else settings.LANGUAGE_CODE


def _status(request: Request) -> str:
    if request.procedure.code == ProcedureCode.EARLY_CHILDHOOD:
        return commission_label(request.status)
    return status_label(request.status)


def _send(request: Request, subject: str, lines: list[str]) -> None:
    messaging.send_to_household(
        request.household, kind=Document.Kind.MESSAGE, subject=subject, body="\n\n".join(lines)
    )


def status_changed(request: Request, message: str = "") -> None:
    """Tell the family its request's new status (and the service's message or reason)."""
    with translation.override(household_language(request.household)):
        names = {"number": request.number, "title": request.procedure.title}
        subject = _("Your request %(number)s - %(title)s") % names
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
        _send(request, subject, lines)


def staff_wrote(request: Request, message: str) -> None:
    with translation.override(household_language(request.household)):
        names = {"number": request.number, "title": request.procedure.title}
        subject = _("New message on your request %(number)s - %(title)s") % names
        _send(request, subject, [_("Message from the service: %(message)s") % {"message": message}])
