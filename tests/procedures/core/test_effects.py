"""What an accepted request changes, in the same transaction, through the owning app:
the address, the QF from its date (and so the price of the next booked day), the
enrolment (the activity then in the child's planning), the family file of the year;
contact and early childhood change nothing else. A refused one changes nothing."""

import datetime

import pytest

from portail.activities.models import Enrolment
from portail.families.family_files import family_file_accepted
from portail.families.models import FamilyFile, Household
from portail.procedures import services
from portail.procedures.statuses import RequestRefused
from portail.reservations.planning import week_planning
from portail.reservations.states import CellAction, CellState
from tests import factories
from tests.world.days import MONDAY, WEEK
from tests.world.procedures import BACKOFFICE, desk, request_in

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def d():
    return desk()


def accept(d, request):
    return services.accept(request.pk, actor=d.staff, channel=BACKOFFICE)


def test_an_accepted_change_of_address_changes_the_household_address(d):
    request = request_in(d, "address_change", "in_progress")
    household = Household.objects.get(pk=d.household.pk)
    assert household.city != "Saissac"
    accept(d, request)
    household.refresh_from_db()
    assert (household.address, household.postal_code, household.city) == (
        "12 rue des Lilas",
        "11310",
        "Saissac",
    )


def test_a_refused_change_of_address_changes_nothing(d):
    request = request_in(d, "address_change", "refused")
    assert request.status == "refused"
    assert Household.objects.get(pk=d.household.pk).city == ""


def test_an_accepted_qf_prices_the_days_booked_from_its_date(d):
    activity = factories.activity(name="Accueil du soir", default_capacity=20)
    factories.tariff([activity], [(0, 700, 200, 300), (701, None, 370, 555)])
    for day in WEEK:
        factories.session(activity, day)
    factories.enrolment(d.child, activity)

    def monday_price() -> int:
        planning = week_planning(Household.objects.get(pk=d.household.pk), MONDAY)
        (cell,) = [
            c for c in planning.cells_for(MONDAY, d.child.pk) if c.activity_id == activity.pk
        ]
        return cell.price_cents

    assert monday_price() == 370  # no QF: the highest band
    request = request_in(d, "qf_declaration", "in_progress")  # 650 from 1 December 2026
    accept(d, request)
    household = Household.objects.get(pk=d.household.pk)
    assert household.qf_on(D(2026, 11, 30)) is None
    assert household.qf_on(D(2026, 12, 1)) == 650
    assert household.qf_on(D(2027, 7, 31)) == 650
    assert household.qf_on(D(2027, 8, 1)) is None
    assert monday_price() == 200


def test_an_accepted_enrolment_puts_the_activity_in_the_child_planning(d):
    def blocks():
        planning = week_planning(d.household, MONDAY)
        return [(c.date, c.state, c.action) for c in planning.cells if c.child_id == d.child.pk]

    assert blocks() == []
    request = request_in(d, "enrolment", "in_progress")
    accept(d, request)
    enrolment = Enrolment.objects.get(child=d.child)
    assert (enrolment.activity, enrolment.valid_from, enrolment.valid_to) == (
        d.activity,
        D(2026, 11, 16),
        D(2027, 7, 2),
    )
    assert blocks() == [(day, CellState.NOT_RESERVED, CellAction.RESERVE) for day in WEEK]


def test_an_enrolment_made_meanwhile_refuses_the_acceptance_and_nothing_changes(d):
    request = request_in(d, "enrolment", "in_progress")
    factories.enrolment(d.child, d.activity, D(2026, 11, 1), D(2026, 12, 31))
    with pytest.raises(RequestRefused) as refused:
        accept(d, request)
    assert refused.value.code == "already_enrolled"
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert Enrolment.objects.filter(child=d.child).count() == 1


def test_an_accepted_family_file_is_recorded_for_its_school_year(d):
    request = request_in(d, "family_file", "in_progress")
    assert not family_file_accepted(d.household, 2026)
    accept(d, request)
    assert family_file_accepted(d.household, 2026)
    assert not family_file_accepted(d.household, 2027)
    kept = FamilyFile.objects.get(household=d.household)
    assert kept.request_number == request.number
    assert kept.data["image_rights"] is False


@pytest.mark.parametrize("code", ["contact", "early_childhood"])
def test_contact_and_early_childhood_change_nothing_else(d, code):
    request = request_in(d, code, "in_progress")
    accept(d, request)
    household = Household.objects.get(pk=d.household.pk)
    assert (household.city, household.qf_on(D(2027, 1, 4))) == ("", None)
    assert not Enrolment.objects.filter(child__household=d.household).exists()
    assert not FamilyFile.objects.exists()
