"""Requests (démarches, portail/procedures): a family, a gestionnaire, valid data for
each procedure, and requests brought to any status through the services."""

import datetime
from dataclasses import dataclass

from portail.accounts.models import User
from portail.activities.models import Activity
from portail.families.models import Child, Household
from portail.procedures import services
from portail.procedures.defaults import ensure_procedures
from portail.procedures.models import Request, RequestStatus
from portail.reservations.models import Channel
from tests import factories
from tests.world import staff
from tests.world.commune import canteen, family
from tests.world.days import WEEK

D = datetime.date
WEB = Channel.WEB
BACKOFFICE = Channel.BACKOFFICE


@dataclass
class Desk:
    """A household (two children, not enrolled anywhere), its guardian, a canteen with
    sessions on the reference week it could be enrolled in, and a gestionnaire."""

    household: Household
    user: User
    children: list[Child]
    activity: Activity
    staff: User

    @property
    def child(self) -> Child:
        return self.children[0]


def the_six_procedures() -> None:
    """The procedures as migrated (again, after a flush: a test with transaction=True
    empties the table), keeping any already there."""
    ensure_procedures()


def desk(**household_fields) -> Desk:
    the_six_procedures()
    activity, _sessions = canteen(WEEK, name="Restauration Scolaire Malves")
    household, user, kids = family(
        activity,
        names=["Emy", "Lise"],
        enrolled=False,
        household_fields=household_fields or None,
    )
    return Desk(household, user, kids, activity, staff.gestionnaire())


def valid_data(d: Desk, code: str) -> dict:
    """Complete, valid data of procedure `code` for the desk's household (clock: the
    suite's, Tuesday 3 November 2026)."""
    site = d.activity.site
    return {
        "contact": {
            "service": "Restauration scolaire",
            "subject": "Menu sans porc",
            "message": "Bonjour, est-il possible d'avoir le menu sans porc ?",
        },
        "address_change": {
            "line": "12 rue des Lilas",
            "postal_code": "11310",
            "city": "Saissac",
            "effective_on": "2026-12-01",
        },
        "qf_declaration": {"quotient": 650, "valid_from": "2026-12-01", "valid_to": "2027-07-31"},
        "enrolment": {
            "child_id": d.child.pk,
            "activity_id": d.activity.pk,
            "valid_from": "2026-11-16",
            "valid_to": "2027-07-02",
        },
        "family_file": {
            "school_year": 2026,
            "guardians": [
                {"name": "Marie MARTIN", "phone": "06 12 34 56 78", "email": "marie@example.org"}
            ],
            "children": [
                {
                    "child_id": d.children[0].pk,
                    "allergies": "Arachide",
                    "pai": True,
                    "doctor": "Dr Durand",
                },
                {"child_id": d.children[1].pk, "allergies": "", "pai": False, "doctor": ""},
            ],
            "pickup_persons": [
                {"name": "Jean MARTIN", "phone": "0611223344", "relationship": "Grand-père"}
            ],
            "image_rights": False,
        },
        "early_childhood": {
            "child_first_name": "Léo",
            "child_last_name": "MARTIN",
            "expected_on": "2027-02-10",
            "start_on": "2027-09-01",
            "days_per_week": 4,
            "hours_per_week": 36,
            "sites": [site.pk],
        },
    }[code]


def request_in(d: Desk, code: str, status: str) -> Request:
    """A request of procedure `code` brought to `status` through the services."""
    request = services.create_draft(
        d.household, code, valid_data(d, code), actor=d.user, channel=WEB
    )
    if status == RequestStatus.DRAFT:
        return request
    services.submit(d.household, request.pk, actor=d.user, channel=WEB)
    if status == RequestStatus.SUBMITTED:
        return Request.objects.get(pk=request.pk)
    if status == RequestStatus.NEEDS_INFO:
        services.ask_more(request.pk, "Il manque l'avis.", actor=d.staff, channel=BACKOFFICE)
        return Request.objects.get(pk=request.pk)
    services.take(request.pk, actor=d.staff, channel=BACKOFFICE)
    if status == RequestStatus.WAITING_LIST:
        services.put_on_waiting_list(request.pk, actor=d.staff, channel=BACKOFFICE)
    elif status == RequestStatus.ACCEPTED:
        services.accept(request.pk, actor=d.staff, channel=BACKOFFICE)
    elif status == RequestStatus.REFUSED:
        services.refuse(request.pk, "Hors délai.", actor=d.staff, channel=BACKOFFICE)
    return Request.objects.get(pk=request.pk)


def another_household() -> tuple[Household, User]:
    guardian = factories.guardian()
    return guardian.household, guardian.user
