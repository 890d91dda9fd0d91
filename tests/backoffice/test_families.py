"""Families for the gestionnaire: search, the household's page, creating a household,
enrolling, setting the QF, adjusting the credit; each with its effect on the family."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from portail.activities.models import Enrolment
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.billing.quote import summarize
from portail.families.models import Child, Document, Guardian, Household
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests import factories
from tests.factories import paid_booking
from tests.world.commune import canteen

pytestmark = pytest.mark.django_db


def household_url(fam, name: str = "household") -> str:
    return reverse(f"backoffice:{name}", kwargs={"pk": fam.household.pk})


# --- search --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["pages-test", "Lise", "example.org", "PAGES lise"])
def test_search_finds_the_household_by_name_child_or_email(fam, staff_client, query):
    factories.household(name="AUTRE-FAMILLE")
    response = staff_client.get(reverse("backoffice:families"), {"q": query})
    html = response.content.decode()
    assert response.status_code == 200
    assert household_url(fam) in html
    assert "AUTRE-FAMILLE" not in html


def test_search_by_guardian_email_and_no_match(fam, staff_client):
    html = staff_client.get(reverse("backoffice:families"), {"q": fam.user.email}).content
    assert household_url(fam).encode() in html
    response = staff_client.get(reverse("backoffice:families"), {"q": "zzz-nobody"})
    assert response.status_code == 200
    assert household_url(fam).encode() not in response.content


# --- the household's page --------------------------------------------------------------


def test_household_page_shows_guardians_children_enrolments_qf_credit_and_history(
    fam, staff_client, gestionnaire
):
    household = fam.household
    factories.quotient_period(household, 742)
    credits.adjust(household, 1250, reason="Certificat médical du 12/01", actor=gestionnaire)
    session = next(iter(fam.sessions.values()))
    paid_booking(fam.emy, session)
    submit_changes(
        household,
        add=[Change(fam.children[1].pk, session.pk)],
        cancel=[],
        actor=fam.user,
        channel=Channel.WEB,
    )
    Document.objects.create(household=household, kind="message", title="Bienvenue (test)")
    html = staff_client.get(household_url(fam)).content.decode()
    for text in (
        fam.user.email,
        "Emy",
        "Lise",
        fam.activity.name,
        "742",
        "12,50\u00a0€",
        "Certificat médical du 12/01",
        "Bienvenue (test)",
        household.baskets.get(status="open").reference,
        'id="history"',
        'id="credit"',
    ):
        assert text in html, text


def test_unknown_household_is_404(staff_client):
    assert (
        staff_client.get(reverse("backoffice:household", kwargs={"pk": 99999})).status_code == 404
    )


# --- creating a household -------------------------------------------------------------


def creation_form(**overrides) -> dict:
    act = overrides.pop("activity")
    data = {
        "name": "MARTIN-TEST",
        "valid_from": "2026-09-01",
        "valid_to": "2027-07-04",
        "guardians-TOTAL_FORMS": "2",
        "guardians-INITIAL_FORMS": "0",
        "guardians-MIN_NUM_FORMS": "0",
        "guardians-MAX_NUM_FORMS": "2",
        "guardians-0-email": "Claire.Martin@Example.org",
        "guardians-0-first_name": "Claire",
        "guardians-0-last_name": "MARTIN",
        "guardians-1-email": "",
        "guardians-1-first_name": "",
        "guardians-1-last_name": "",
        "children-TOTAL_FORMS": "4",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "4",
        "children-0-first_name": "Hugo",
        "children-0-last_name": "MARTIN",
        "children-0-birth_date": "2018-03-14",
        "children-0-activities": [str(act.pk)],
    }
    data.update(overrides)
    return data


def test_creating_a_household_sends_the_activation_link_and_enrols_the_children(
    fam, staff_client, gestionnaire
):
    response = staff_client.post(
        reverse("backoffice:household_create"), creation_form(activity=fam.activity)
    )
    household = Household.objects.get(name="MARTIN-TEST")
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:household", kwargs={"pk": household.pk})
    guardian = Guardian.objects.select_related("user").get(household=household)
    assert guardian.user.email == "claire.martin@example.org"
    assert not guardian.user.has_usable_password() and not guardian.user.is_staff
    hugo = Child.objects.get(household=household)
    enrolment = Enrolment.objects.get(child=hugo)
    assert (enrolment.activity, enrolment.valid_from, enrolment.valid_to) == (
        fam.activity,
        datetime.date(2026, 9, 1),
        datetime.date(2027, 7, 4),
    )
    assert [m.to for m in mail.outbox] == [["claire.martin@example.org"]]
    assert "/compte/" in mail.outbox[0].body
    assert Document.objects.filter(household=household, kind=Document.Kind.ACTIVATION).exists()
    kinds = set(StaffAction.objects.filter(household=household).values_list("kind", flat=True))
    assert kinds == {
        StaffActionKind.HOUSEHOLD_CREATED,
        StaffActionKind.ENROLMENT_ADDED,
        StaffActionKind.ACTIVATION_SENT,
    }
    assert StaffAction.objects.filter(actor=gestionnaire).count() == 3


def test_creating_with_an_email_already_used_changes_nothing(fam, staff_client):
    data = creation_form(activity=fam.activity, **{"guardians-0-email": fam.user.email})
    response = staff_client.post(reverse("backoffice:household_create"), data)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not Household.objects.filter(name="MARTIN-TEST").exists()
    assert not Child.objects.filter(first_name="Hugo").exists()
    assert mail.outbox == []


def test_creating_without_a_guardian_or_with_a_bad_date_is_refused(fam, staff_client):
    data = creation_form(activity=fam.activity, **{"guardians-0-email": ""})
    assert staff_client.post(reverse("backoffice:household_create"), data).status_code == 400
    data = creation_form(activity=fam.activity, valid_to="2026-08-01")
    assert staff_client.post(reverse("backoffice:household_create"), data).status_code == 400
    data = creation_form(activity=fam.activity, **{"children-0-birth_date": "14/03/2018x"})
    assert staff_client.post(reverse("backoffice:household_create"), data).status_code == 400
    assert not Household.objects.filter(name="MARTIN-TEST").exists()


def test_the_creation_page_labels_every_field(staff_client, fam):
    html = staff_client.get(reverse("backoffice:household_create")).content.decode()
    assert html.count("<fieldset") >= 7
    for name in ("guardians-0-email", "children-3-birth_date", "name", "valid_from"):
        assert f'for="id_{name}"' in html


# --- enrolling -----------------------------------------------------------------------------


def test_enrolling_makes_the_activity_bookable_in_the_family_planning(fam, staff_client):
    alae, _sessions = canteen(
        fam.days,
        name="ALAE soir (test)",
        start_time=datetime.time(16, 30),
        end_time=datetime.time(18),
    )
    before = week_planning(fam.household, fam.monday)
    assert all(c.activity_id != alae.pk for c in before.cells)
    response = staff_client.post(
        household_url(fam, "household_enrol"),
        {
            "enrol-child": fam.emy.pk,
            "enrol-activity": alae.pk,
            "enrol-valid_from": (fam.monday - datetime.timedelta(days=30)).isoformat(),
            "enrol-valid_to": (fam.monday + datetime.timedelta(days=60)).isoformat(),
        },
    )
    assert response.status_code == 302
    after = week_planning(fam.household, fam.monday)
    emy_alae = [c for c in after.cells if c.activity_id == alae.pk and c.child_id == fam.emy.pk]
    assert emy_alae and all(c.state == CellState.NOT_RESERVED and c.editable for c in emy_alae)
    lise_alae = [c for c in after.cells if c.activity_id == alae.pk and c.child_id != fam.emy.pk]
    assert all(c.state == CellState.NOT_ENROLLED for c in lise_alae)
    assert StaffAction.objects.filter(kind=StaffActionKind.ENROLMENT_ADDED).count() == 1


def test_an_overlapping_enrolment_or_another_familys_child_is_refused(fam, staff_client):
    response = staff_client.post(
        household_url(fam, "household_enrol"),
        {
            "enrol-child": fam.emy.pk,
            "enrol-activity": fam.activity.pk,
            "enrol-valid_from": "2026-09-01",
            "enrol-valid_to": "2027-07-04",
        },
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    stranger = factories.child()
    response = staff_client.post(
        household_url(fam, "household_enrol"),
        {
            "enrol-child": stranger.pk,
            "enrol-activity": fam.activity.pk,
            "enrol-valid_from": "2026-09-01",
            "enrol-valid_to": "2027-07-04",
        },
    )
    assert response.status_code == 400
    assert Enrolment.objects.count() == 2  # Emy's and Lise's, from the fixture


# --- quotient familial ---------------------------------------------------------------------


def test_setting_the_qf_changes_the_prices_of_the_family_planning(fam, staff_client):
    fam.activity.tariffs.all().delete()
    factories.tariff([fam.activity], [(0, 599, 120, 180), (600, None, 370, 555)])
    cell = week_planning(fam.household, fam.monday).cells[0]
    assert cell.price_cents == 370  # no QF known: the highest band
    response = staff_client.post(
        household_url(fam, "household_qf"),
        {
            "qf-quotient_familial": "480",
            "qf-qf_valid_from": (fam.monday - datetime.timedelta(days=7)).isoformat(),
            "qf-qf_valid_to": (fam.monday + datetime.timedelta(days=180)).isoformat(),
        },
    )
    assert response.status_code == 302
    fam.household.refresh_from_db()
    assert fam.household.qf_on(fam.monday) == 480
    assert week_planning(fam.household, fam.monday).cells[0].price_cents == 120
    # A validity that ended before the week: unknown QF again, the highest band.
    response = staff_client.post(
        household_url(fam, "household_qf"),
        {
            "qf-quotient_familial": "480",
            "qf-qf_valid_from": "2020-01-01",
            "qf-qf_valid_to": (fam.monday - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    fam.household.refresh_from_db()
    assert week_planning(fam.household, fam.monday).cells[0].price_cents == 370
    assert StaffAction.objects.filter(kind=StaffActionKind.QF_SET).count() == 2


def test_a_qf_period_in_the_wrong_order_changes_nothing(fam, staff_client):
    response = staff_client.post(
        household_url(fam, "household_qf"),
        {
            "qf-quotient_familial": "480",
            "qf-qf_valid_from": "2027-01-01",
            "qf-qf_valid_to": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert not fam.household.quotient_periods.exists()


# --- credit ------------------------------------------------------------------------------


def test_adjusting_the_credit_writes_the_ledger_and_pays_the_next_basket(
    fam, staff_client, gestionnaire
):
    response = staff_client.post(
        household_url(fam, "household_credit"),
        {"credit-amount": "5,55", "credit-reason": "Geste commercial (test)"},
    )
    assert response.status_code == 302
    entry = CreditEntry.objects.get(household=fam.household)
    assert (entry.amount_cents, entry.kind, entry.reason, entry.actor) == (
        555,
        CreditKind.ADJUSTMENT,
        "Geste commercial (test)",
        gestionnaire,
    )
    assert credits.available_cents(fam.household) == 555
    action = StaffAction.objects.get(kind=StaffActionKind.CREDIT_ADJUSTED)
    assert action.reason == "Geste commercial (test)" and "Camille ROUX" in action.actor_label
    session = next(iter(fam.sessions.values()))
    basket = submit_changes(
        fam.household,
        add=[Change(fam.emy.pk, session.pk)],
        cancel=[],
        actor=fam.user,
        channel=Channel.WEB,
    )
    summary = summarize(basket)
    assert (summary.credit_applied_cents, summary.amount_due_cents) == (370, 0)

    response = staff_client.post(
        household_url(fam, "household_credit"),
        {"credit-amount": "-1,85", "credit-reason": "Erreur de saisie"},
    )
    assert response.status_code == 302
    assert credits.balance_cents(fam.household) == 370


def test_a_credit_cannot_go_below_zero_nor_change_without_a_reason(fam, staff_client):
    response = staff_client.post(
        household_url(fam, "household_credit"),
        {"credit-amount": "-3,70", "credit-reason": "Reprise"},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = staff_client.post(
        household_url(fam, "household_credit"), {"credit-amount": "3,70", "credit-reason": "  "}
    )
    assert response.status_code == 400
    response = staff_client.post(
        household_url(fam, "household_credit"), {"credit-amount": "0", "credit-reason": "Rien"}
    )
    assert response.status_code == 400
    assert not CreditEntry.objects.exists()
    assert not StaffAction.objects.exists()


def test_a_new_activation_link_only_for_a_guardian_who_has_not_chosen_a_password(fam, staff_client):
    other = factories.guardian(fam.household, email="second@example.org")
    other.user.set_unusable_password()
    other.user.save()
    url = reverse(
        "backoffice:guardian_activation", kwargs={"pk": fam.household.pk, "guardian_pk": other.pk}
    )
    assert staff_client.post(url).status_code == 302
    assert [m.to for m in mail.outbox] == [["second@example.org"]]
    url = reverse(
        "backoffice:guardian_activation",
        kwargs={"pk": fam.household.pk, "guardian_pk": fam.user.guardian.pk},
    )
    assert staff_client.post(url).status_code == 302
    assert len(mail.outbox) == 1
    stranger = factories.guardian()
    url = reverse(
        "backoffice:guardian_activation",
        kwargs={"pk": fam.household.pk, "guardian_pk": stranger.pk},
    )
    assert staff_client.post(url).status_code == 404
