"""The staff's configuration screens: every page loads, weekdays and euros round-trip,
days are closed with a reason, a school year is generated from the activity list."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from portail.activities.calendar import sessions_closed
from portail.activities.forms import EuroCentsField, WeekdaysField
from portail.activities.models import Activity, Enrolment, Session, Tariff
from portail.core.models import Organisation
from tests import factories

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(factories.staff(is_superuser=True))
    return client


@pytest.fixture
def data():
    activity = factories.activity(name="Restauration Scolaire Malves")
    household = factories.household(name="FAMILLE-MARTIN", email="martin@example.org")
    factories.guardian(household)
    child = factories.child(household)
    factories.enrolment(child, activity)
    factories.tariff([activity], [(0, 599, 120, 200), (600, None, 370, 555)])
    session = factories.session(activity, D(2026, 11, 26))
    return {"activity": activity, "household": household, "child": child, "session": session}


MODELS = [
    "core.organisation",
    "core.site",
    "families.household",
    "families.child",
    "families.document",
    "activities.activity",
    "activities.session",
    "activities.enrolment",
    "activities.tariff",
]


@pytest.mark.parametrize("model", MODELS)
def test_changelist_loads_for_staff(staff_client, data, model):
    app, name = model.split(".")
    response = staff_client.get(reverse(f"admin:{app}_{name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m not in {"core.organisation", "families.document"}]
)
def test_add_page_loads_for_staff(staff_client, data, model):
    app, name = model.split(".")
    response = staff_client.get(reverse(f"admin:{app}_{name}_add"))
    assert response.status_code == 200


def test_change_pages_load(staff_client, data):
    for obj in (data["activity"], data["household"], data["child"], data["session"]):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert staff_client.get(url).status_code == 200


def test_child_page_lists_its_enrolments_and_children_filter_by_activity(staff_client, data):
    """The child's admin page edits its enrolments inline; the list filters by activity
    (registered by activities/admin.py over families' ChildAdmin)."""
    child, activity = data["child"], data["activity"]
    response = staff_client.get(reverse("admin:families_child_change", args=[child.pk]))
    formsets = [inline.formset for inline in response.context["inline_admin_formsets"]]
    assert [formset.model for formset in formsets] == [Enrolment]
    assert [form.instance.activity for form in formsets[0].initial_forms] == [activity]

    other = factories.child(data["household"], first_name="Lise")
    factories.enrolment(other, factories.activity(activity.site, name="ALAE Soir"))
    changelist = reverse("admin:families_child_changelist")
    response = staff_client.get(changelist, {"enrolments__activity__id__exact": activity.pk})
    assert list(response.context["cl"].result_list) == [child]
    response = staff_client.get(changelist)
    assert set(response.context["cl"].result_list) == {child, other}


def test_pages_are_french_by_default(staff_client, data):
    response = staff_client.get(reverse("admin:activities_activity_changelist"))
    assert 'lang="fr"' in response.content.decode()


def test_household_search_by_name_and_email(staff_client, data):
    url = reverse("admin:families_household_changelist")
    other = factories.household(name="FAMILLE-DUPONT")
    by_email = staff_client.get(url, {"q": "martin@example.org"})
    by_name = staff_client.get(url, {"q": "dupont"})
    assert list(by_email.context["cl"].result_list) == [data["household"]]
    assert list(by_name.context["cl"].result_list) == [other]


def test_only_one_organisation_can_be_added(staff_client):
    url = reverse("admin:core_organisation_add")
    assert staff_client.get(url).status_code == 200
    factories.organisation()
    assert staff_client.get(url).status_code == 403


def test_weekday_field_round_trips():
    field = WeekdaysField()
    assert field.clean(["4", "0", "3", "1"]) == "0,1,3,4"
    assert field.prepare_value("0,1,3,4") == ["0", "1", "3", "4"]


def activity_post(site, **overrides) -> dict:
    post = {
        "site": site.pk,
        "name": "ALAE du soir",
        "kind": "alae",
        "weekdays": ["0", "1", "3", "4"],
        "start_time": "16:30",
        "end_time": "18:30",
        "default_capacity": "40",
        "requires_booking": "on",
        "booking_deadline_kind": "working_days_before",
        "booking_deadline_value": "2",
        "booking_deadline_time": "10:00",
        "cancel_deadline_kind": "working_days_before",
        "cancel_deadline_value": "2",
        "cancel_deadline_time": "10:00",
        "late_policy": "surcharge",
        "hold_minutes": "",
    }
    post.update(overrides)
    return post


def test_activity_weekdays_are_ticked_and_stored_as_digits(staff_client):
    site = factories.site()
    response = staff_client.post(reverse("admin:activities_activity_add"), activity_post(site))
    assert response.status_code == 302
    activity = Activity.objects.get(name="ALAE du soir")
    assert activity.weekdays == "0,1,3,4"

    page = staff_client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    html = page.content.decode()
    assert html.count('name="weekdays"') == 7
    assert 'name="weekdays" value="3"' in html and html.count("checked") >= 4
    assert page.context["adminform"].form["weekdays"].value() == ["0", "1", "3", "4"]


def test_activity_without_weekday_is_refused(staff_client):
    site = factories.site()
    response = staff_client.post(
        reverse("admin:activities_activity_add"), activity_post(site, weekdays=[])
    )
    assert response.status_code == 200
    assert "weekdays" in response.context["adminform"].form.errors
    assert not Activity.objects.exists()


def tariff_post(activity, bands) -> dict:
    post = {
        "name": "Tarifs 2026-2027",
        "activities": [activity.pk],
        "valid_from": "01/09/2026",
        "valid_to": "31/08/2027",
        "bands-TOTAL_FORMS": str(len(bands)),
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "1",
        "bands-MAX_NUM_FORMS": "1000",
    }
    for i, (qf_min, qf_max, price, late) in enumerate(bands):
        post |= {
            f"bands-{i}-qf_min": qf_min,
            f"bands-{i}-qf_max": qf_max,
            f"bands-{i}-price_cents": price,
            f"bands-{i}-late_price_cents": late,
        }
    return post


def test_tariff_prices_are_typed_in_euros_and_shown_in_euros(staff_client):
    activity = factories.activity()
    post = tariff_post(activity, [("0", "599", "1,20", "2"), ("600", "", "3,70", "5,55")])
    response = staff_client.post(reverse("admin:activities_tariff_add"), post)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    tariff = Tariff.objects.get()
    assert [(b.price_cents, b.late_price_cents) for b in tariff.bands.all()] == [
        (120, 200),
        (370, 555),
    ]
    listing = staff_client.get(reverse("admin:activities_tariff_changelist")).content.decode()
    assert "3,70\u00a0€" in listing and "5,55\u00a0€" in listing
    change = staff_client.get(reverse("admin:activities_tariff_change", args=[tariff.pk]))
    assert 'value="3,70"' in change.content.decode()


@pytest.mark.parametrize(
    "bands",
    [
        [("0", "599", "1,20", "2"), ("700", "", "3,70", "5,55")],  # gap
        [("0", "599", "1,20", "2"), ("500", "", "3,70", "5,55")],  # overlap
        [("100", "", "1,20", "2")],  # does not start at 0
        [("0", "999", "1,20", "2")],  # no open-ended last band
        [("0", "", "3,70", "2,00")],  # late price below the price
        [("0", "", "3,705", "5")],  # fraction of a cent
    ],
)
def test_tariff_bands_must_cover_every_qf_once(staff_client, bands):
    response = staff_client.post(
        reverse("admin:activities_tariff_add"), tariff_post(factories.activity(), bands)
    )
    assert response.status_code == 200
    assert not Tariff.objects.exists()


def test_close_days_asks_for_a_reason_then_closes(staff_client, data):
    session = data["session"]
    other = factories.session(data["activity"], D(2026, 11, 27))
    url = reverse("admin:activities_session_changelist")
    selection = {"action": "close_days", ACTION_CHECKBOX_NAME: [session.pk, other.pk]}
    closed_signals = []

    def receiver(sender, sessions, reason, **kwargs):
        closed_signals.append(([s.pk for s in sessions], reason))

    sessions_closed.connect(receiver)
    try:
        asked = staff_client.post(url, selection)
        assert asked.status_code == 200
        assert 'name="reason"' in asked.content.decode()

        empty = staff_client.post(url, selection | {"apply": "yes", "reason": "  "})
        assert empty.status_code == 200 and empty.context["form"].errors
        session.refresh_from_db()
        assert session.is_open

        done = staff_client.post(url, selection | {"apply": "yes", "reason": "Grève"})
        assert done.status_code == 302
    finally:
        sessions_closed.disconnect(receiver)
    assert set(Session.objects.values_list("is_open", "closed_reason")) == {(False, "Grève")}
    assert closed_signals == [([session.pk], "Grève"), ([other.pk], "Grève")]

    staff_client.post(url, {"action": "reopen_days", ACTION_CHECKBOX_NAME: [session.pk]})
    session.refresh_from_db()
    assert (session.is_open, session.closed_reason) == (True, "")


def test_session_capacity_is_editable_in_the_list(staff_client, data):
    session = data["session"]
    url = reverse("admin:activities_session_changelist")
    response = staff_client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": session.pk,
            "form-0-capacity": "12",
            "_save": "Enregistrer",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.capacity == 12


def test_generate_action_creates_the_current_school_year(staff_client, data):
    activity = factories.activity(weekdays="2")
    url = reverse("admin:activities_activity_changelist")
    response = staff_client.post(
        url, {"action": "generate_current_year", ACTION_CHECKBOX_NAME: [activity.pk]}, follow=True
    )
    assert response.status_code == 200
    assert activity.sessions.count() > 25
    assert not data["activity"].sessions.exclude(pk=data["session"].pk).exists()
    assert len(list(response.context["messages"])) == 1


def test_admin_is_closed_to_families(client, data):
    guardian = factories.guardian()
    client.force_login(guardian.user)
    response = client.get(reverse("admin:activities_session_changelist"))
    assert response.status_code == 302


def test_organisation_is_the_current_one_after_admin_creation(staff_client):
    post = {
        "name": "Carcassonne Agglo",
        "school_zone": "C",
        "payfip_numcli": "123456",
        "welcome_text": "",
        "contact_email": "",
        "contact_phone": "",
        "address": "",
        "sites-TOTAL_FORMS": "1",
        "sites-INITIAL_FORMS": "0",
        "sites-MIN_NUM_FORMS": "0",
        "sites-MAX_NUM_FORMS": "1000",
        "sites-0-name": "École de Malves",
        "sites-0-address": "",
    }
    response = staff_client.post(reverse("admin:core_organisation_add"), post)
    assert response.status_code == 302
    org = Organisation.current()
    assert org.name == "Carcassonne Agglo" and org.sites.get().name == "École de Malves"


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("3,70", 370), ("3.70", 370), ("3,7", 370), ("5", 500), ("1\u202f234,50 €", 123450), ("0", 0)],
)
def test_euro_field_reads_french_and_english_amounts(typed, cents):
    with translation.override("fr"):
        assert EuroCentsField().clean(typed) == cents


@pytest.mark.parametrize(
    "typed", ["3,705", "-1", "trois", "3,70,1", "1e3", "1E3", "Infinity", "NaN", "٣,٧٠", "+3"]
)
def test_euro_field_refuses_what_is_not_an_amount_in_cents(typed):
    with translation.override("fr"), pytest.raises(ValidationError):
        EuroCentsField().clean(typed)
