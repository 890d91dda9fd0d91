"""`portail load_demo`: idempotent, demo mode only, dates following today."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment, Session, Tariff, TariffBand
from portail.activities.pricing import price_for
from portail.core.models import Organisation, Site
from portail.demo.builder import build_demo, demo_school_year
from portail.families.models import Child, Document, Guardian, Household
from tests import factories

pytestmark = pytest.mark.django_db

MODELS = [
    Organisation,
    Site,
    Activity,
    Session,
    Tariff,
    TariffBand,
    Household,
    Guardian,
    Child,
    Enrolment,
    Document,
    User,
]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_loading_twice_creates_no_duplicates():
    load()
    first = row_counts()
    load()
    assert row_counts() == first
    assert first["Organisation"] == 1
    assert first["Household"] >= 6
    assert first["Session"] > 100


def test_load_prints_both_demo_logins():
    output = load()
    assert "parent@example.org / parent-demo" in output
    assert "gestion@example.org / gestion-demo" in output


def test_load_refuses_without_demo_mode(settings):
    settings.PORTAIL_DEMO = False
    with pytest.raises(CommandError, match="PORTAIL_DEMO"):
        load()
    assert sum(row_counts().values()) == 0


def test_if_empty_leaves_an_existing_organisation_alone_but_prints_the_logins():
    existing = factories.organisation(name="Ville de Test")
    output = load("--if-empty")
    assert list(Organisation.objects.all()) == [existing]
    assert not Household.objects.exists()
    assert not User.objects.exists()
    assert "parent@example.org / parent-demo" in output


def test_if_empty_loads_an_empty_database():
    load("--if-empty")
    assert Organisation.objects.get().name == "Carcassonne Agglo (démo)"


def test_demo_logins_work_and_staff_can_use_the_admin():
    load()
    client = Client()
    assert client.login(email="parent@example.org", password="parent-demo")
    staff = User.objects.get(email="gestion@example.org")
    assert staff.is_staff and staff.is_superuser
    client = Client()
    assert client.login(email="gestion@example.org", password="gestion-demo")
    assert client.get("/admin/").status_code == 200


def test_only_the_two_demo_logins_have_a_usable_password():
    load()
    usable = sorted(u.email for u in User.objects.all() if u.has_usable_password())
    assert usable == [
        "cuisine@example.org",
        "gestion@example.org",
        "parent@example.org",
        "pointage@example.org",
    ]


def test_pages_test_household_matches_the_seed():
    summary = build_demo()
    household = Household.objects.get(name="PAGES-TEST")
    assert sorted(household.children.values_list("first_name", flat=True)) == ["Emy", "Lise"]
    parent = Guardian.objects.select_related("user").get(user__email="parent@example.org")
    assert parent.household == household
    assert (parent.user.first_name, parent.user.last_name, parent.user.language) == (
        "Edwige",
        "PAGES",
        "fr",
    )
    canteen = Activity.objects.get(name="Restauration Scolaire Malves")
    assert canteen.weekday_list == [0, 1, 3, 4]
    assert (canteen.start_time, canteen.end_time) == (datetime.time(12), datetime.time(13, 30))
    for child in household.children.all():
        enrolment = Enrolment.objects.get(child=child, activity=canteen)
        assert enrolment.valid_from == summary.school_year_start
        assert enrolment.valid_to == summary.school_year_end
    # The seed's price: 3,70 EUR a meal for this household's quotient familial.
    day = Session.objects.filter(activity=canteen).order_by("date").first().date
    assert price_for(canteen, household, day) == 370
    assert price_for(canteen, household, day, late=True) == 555


def test_households_without_a_known_qf_pay_the_highest_band():
    build_demo()
    canteen = Activity.objects.get(name="Restauration Scolaire Malves")
    day = Session.objects.filter(activity=canteen).order_by("date").first().date
    unknown = Household.objects.filter(quotient_periods__isnull=True).first()
    assert unknown is not None
    assert price_for(canteen, unknown, day) == 410


def test_every_activity_has_sessions_over_the_whole_school_year():
    summary = build_demo()
    for activity in Activity.objects.all():
        dates = list(
            Session.objects.filter(activity=activity)
            .order_by("date")
            .values_list("date", flat=True)
        )
        assert dates, activity
        assert (
            summary.school_year_start
            <= dates[0]
            <= summary.school_year_start + datetime.timedelta(days=7)
        )
        assert (
            summary.school_year_end - datetime.timedelta(days=14)
            <= dates[-1]
            <= summary.school_year_end
        )
        assert {d.weekday() for d in dates} <= set(activity.weekday_list)


def test_demo_follows_today_and_uses_the_coming_year_in_summer():
    summer_day = datetime.date(2027, 7, 20)
    summary = build_demo(today=summer_day)
    # The coming year to book, and the year that has just ended for the paid history.
    assert (summary.school_year_start, summary.school_year_end) == (
        datetime.date(2026, 9, 1),
        datetime.date(2028, 7, 3),
    )
    canteen = Activity.objects.get(name="Restauration Scolaire Malves")
    days = Session.objects.filter(activity=canteen).values_list("date", flat=True)
    assert not [
        day for day in days if datetime.date(2027, 7, 3) <= day <= datetime.date(2027, 8, 31)
    ]
    assert min(day for day in days if day > summer_day) == datetime.date(2027, 9, 2)
    emy = Child.objects.get(first_name="Emy")
    [enrolment] = emy.enrolments.filter(activity=canteen)
    assert enrolment.valid_from <= datetime.date(2027, 6, 1)
    assert enrolment.valid_to >= datetime.date(2028, 6, 1)


def test_loading_the_demo_months_later_widens_the_enrolments_rather_than_adding_some():
    build_demo(today=datetime.date(2026, 11, 26))
    before = Enrolment.objects.count()
    summary = build_demo(today=datetime.date(2027, 6, 20))
    assert Enrolment.objects.count() == before
    for enrolment in Enrolment.objects.all():
        assert enrolment.valid_to == summary.school_year_end == datetime.date(2028, 7, 3)


def test_school_year_is_the_current_one_during_term():
    start, end = demo_school_year(datetime.date(2026, 11, 26))
    assert start.year == 2026 and start.month in (8, 9)
    assert end.year == 2027 and end.month == 7


def test_demo_documents_are_recent_and_in_the_past():
    build_demo()
    now = timezone.now()
    documents = Document.objects.filter(household__name="PAGES-TEST")
    assert documents.filter(title="Lien d'activation du mot de passe").count() == 2
    for document in documents:
        assert now - datetime.timedelta(days=90) < document.created_at < now


def test_a_coming_canteen_day_is_closed_with_a_reason():
    build_demo()
    closed = Session.objects.filter(
        activity__name="Restauration Scolaire Malves",
        is_open=False,
        date__gte=timezone.localdate(),
    )
    assert closed.count() == 1
    assert closed.get().closed_reason
    build_demo()
    assert closed.count() == 1
