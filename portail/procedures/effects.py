"""What accepting a request changes, applied by services.accept() in its transaction,
through the owning app's services:

- address_change: the household's address (families.addresses.set_address), at once
  (effective_on is the family's information for the service);
- qf_declaration: the household's QF from valid_from (to valid_to, or until further
  notice) through families.quotient.set_quotient: days booked from then on are priced
  with the new band, days already booked keep their price;
- enrolment: an activities Enrolment of the child over the period (the planning then
  shows the activity's days to book); refused if the child was enrolled meanwhile;
- family_file: recorded as accepted for its school year (families.family_files);
- contact and early_childhood: nothing else (for early childhood, accepted is the
  commission's answer).
"""

import datetime

from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment
from portail.families import quotient
from portail.families.addresses import set_address
from portail.families.family_files import record_family_file
from portail.procedures.forms import already_enrolled
from portail.procedures.models import ProcedureCode, Request
from portail.procedures.statuses import RequestRefused


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def apply(request: Request, *, actor: User, now: datetime.datetime) -> None:
    code = request.procedure.code
    data = request.data
    household = request.household
    if code == ProcedureCode.ADDRESS_CHANGE:
        set_address(
            household, line=data["line"], postal_code=data["postal_code"], city=data["city"]
        )
    elif code == ProcedureCode.QF_DECLARATION:
        try:
            quotient.set_quotient(
                household,
                data["quotient"],
                _day(data["valid_from"]),
                _day(data.get("valid_to")),
                actor=actor,
                reason=_("Request %(number)s") % {"number": request.number},
            )
        except quotient.QuotientRefused as refused:
            raise RequestRefused(
                "invalid_request", refused.message, {"quotient": refused.message}
            ) from refused
    elif code == ProcedureCode.ENROLMENT:
        child = household.children.filter(pk=data["child_id"]).first()
        activity = Activity.objects.filter(pk=data["activity_id"]).first()
        start, end = _day(data["valid_from"]), _day(data["valid_to"])
        if child is None or activity is None:
            raise RequestRefused(
                "invalid_request", _("This child or this activity no longer exists.")
            )
        if already_enrolled(child.pk, activity.pk, start, end):
            raise RequestRefused(
                "already_enrolled", _("This child is already enrolled in this activity then.")
            )
        Enrolment.objects.create(child=child, activity=activity, valid_from=start, valid_to=end)
    elif code == ProcedureCode.FAMILY_FILE:
        record_family_file(
            household,
            data["school_year"],
            data,
            accepted_at=now,
            request_number=request.number,
        )
