"""Each procedure's data, checked on the server (the API's contract, docs/procedures.md).

validate(code, data, household, partial=...) returns the cleaned data or raises
RequestRefused("invalid_request", fields={name: message}). A draft is validated with
partial=True: fields may be missing, but what is given must be right. Dates are bounded
around today (timezone.localdate()), so nothing absurd reaches staff.
"""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from portail.activities.models import Activity, Enrolment
from portail.core.models import Site
from portail.families.models import Household
from portail.procedures.fields import Reader
from portail.procedures.models import ProcedureCode

POSTAL_CODE_RE = re.compile(r"^[0-9]{5}$")
PHONE_RE = re.compile(r"^\+?[0-9 .\-]{6,20}$")
YEAR = datetime.timedelta(days=366)
# An enrolment asked for covers at most a school year and a bit.
ENROLMENT_MAX_DAYS = 400


def _contact(r: Reader, household: Household) -> None:
    r.text("service", 100)
    r.text("subject", 200)
    r.text("message", 5000)


def _address_change(r: Reader, household: Household) -> None:
    today = timezone.localdate()
    r.text("line", 300)
    r.text(
        "postal_code",
        5,
        pattern=POSTAL_CODE_RE,
        pattern_message=_("Expected a postal code of 5 digits."),
    )
    r.text("city", 100)
    r.date("effective_on", minimum=today - YEAR, maximum=today + YEAR)


def _period(r: Reader, first: datetime.date, last: datetime.date, *, end_required: bool):
    start = r.date("valid_from", minimum=first, maximum=last)
    end = r.date("valid_to", minimum=first, maximum=last, required=end_required)
    if start and end and end < start:
        r.cleaned.pop("valid_to", None)
        r.error("valid_to", _("The end must not be before the start."))
        return start, None
    return start, end


def _qf_declaration(r: Reader, household: Household) -> None:
    today = timezone.localdate()
    r.integer("quotient", 0, 99999)
    _period(r, today - 2 * YEAR, today + 2 * YEAR, end_required=False)


def _child(r: Reader, key: str, household: Household, *, required: bool = True):
    child_id = r.integer(key, 1, 2**31 - 1, required=required)
    if child_id is None:
        return None
    child = household.children.filter(pk=child_id).first()
    if child is None:
        r.cleaned.pop(key, None)
        r.error(key, _("This child is not one of your household's children."))
    return child


def _enrolment(r: Reader, household: Household) -> None:
    today = timezone.localdate()
    child = _child(r, "child_id", household)
    activity_id = r.integer("activity_id", 1, 2**31 - 1)
    activity = None
    if activity_id is not None:
        activity = Activity.objects.filter(pk=activity_id).first()
        if activity is None:
            r.cleaned.pop("activity_id")
            r.error("activity_id", _("This activity does not exist."))
    start, end = _period(r, today - YEAR, today + 2 * YEAR, end_required=True)
    if start and end:
        if end < today:
            r.error("valid_to", _("The period is over."))
        elif (end - start).days >= ENROLMENT_MAX_DAYS:
            r.error(
                "valid_to",
                _("A period of at most %(days)d days.") % {"days": ENROLMENT_MAX_DAYS},
            )
    if (
        child
        and activity
        and start
        and end
        and not r.errors
        and already_enrolled(child.pk, activity.pk, start, end)
    ):
        r.error("activity_id", _("This child is already enrolled in this activity then."))


def already_enrolled(child_id: int, activity_id: int, start, end) -> bool:
    return Enrolment.objects.filter(
        child_id=child_id, activity_id=activity_id, valid_from__lte=end, valid_to__gte=start
    ).exists()


def _family_file(r: Reader, household: Household) -> None:
    year = timezone.localdate().year
    r.integer("school_year", year - 1, year + 1)

    def guardian(g: Reader) -> None:
        g.text("name", 200)
        g.text("phone", 20, pattern=PHONE_RE, pattern_message=_("Expected a phone number."))
        g.email("email", required=False)

    seen: set[int] = set()

    def child(c: Reader) -> None:
        kid = _child(c, "child_id", household)
        if kid is not None:
            if kid.pk in seen:
                c.error("child_id", _("This child is listed twice."))
            seen.add(kid.pk)
        c.text("allergies", 1000, required=False)
        c.boolean("pai")
        c.text("doctor", 200, required=False)

    def person(p: Reader) -> None:
        p.text("name", 200)
        p.text("phone", 20, pattern=PHONE_RE, pattern_message=_("Expected a phone number."))
        p.text("relationship", 100, required=False)

    r.objects("guardians", guardian, minimum=1, maximum=4)
    r.objects("children", child, minimum=1, maximum=12)
    r.objects("pickup_persons", person, minimum=0, maximum=10)
    r.boolean("image_rights")


def _early_childhood(r: Reader, household: Household) -> None:
    today = timezone.localdate()
    r.text("child_first_name", 100)
    r.text("child_last_name", 100)
    born = r.date("birth_date", required=False, minimum=today - 6 * YEAR, maximum=today)
    expected = r.date("expected_on", required=False, minimum=today - YEAR, maximum=today + YEAR)
    if born and expected:
        r.error("expected_on", _("Give the birth date or the expected date, not both."))
    elif not (born or expected or r.partial or r.has_error("birth_date")) and not r.has_error(
        "expected_on"
    ):
        r.error("birth_date", _("Give the birth date or, if not born yet, the expected date."))
    r.date("start_on", minimum=today, maximum=today + 2 * YEAR)
    r.integer("days_per_week", 1, 5)
    r.integer("hours_per_week", 1, 60)
    sites = r.integers("sites", minimum=1, maximum=5)
    if sites and Site.objects.filter(pk__in=sites).count() != len(sites):
        r.cleaned.pop("sites", None)
        r.error("sites", _("One of these sites does not exist."))


VALIDATORS = {
    ProcedureCode.CONTACT: _contact,
    ProcedureCode.ADDRESS_CHANGE: _address_change,
    ProcedureCode.QF_DECLARATION: _qf_declaration,
    ProcedureCode.FAMILY_FILE: _family_file,
    ProcedureCode.ENROLMENT: _enrolment,
    ProcedureCode.EARLY_CHILDHOOD: _early_childhood,
}


def validate(code: str, data, household: Household, *, partial: bool = False) -> dict:
    """The cleaned data of procedure `code`, or RequestRefused listing every bad field."""
    reader = Reader(data, partial=partial)
    if not reader.errors:
        VALIDATORS[code](reader, household)
    return reader.finish()
