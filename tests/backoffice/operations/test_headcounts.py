"""Head counts against the bookings: confirmed, awaiting payment, lapsed holds not counted;
the page, its exports, the API, and who may read them."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portail.backoffice.headcounts import head_counts, period_range
from portail.reservations.models import BasketStatus, Booking, BookingStatus
from tests import factories
from tests.factories import paid_booking
from tests.world.booking import held_request
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def count_for(town, session):
    (row,) = [c for c in head_counts(session.date, session.date) if c.session_id == session.pk]
    return row


def test_confirmed_and_awaiting_payment_are_counted_lapsed_holds_are_not(town):
    paid_booking(town.emy, town.today)
    held_request(town.lise, town.today, minutes=30)  # held: counted as awaiting payment
    held_request(town.tom, town.today, minutes=-1)  # lapsed: not counted
    other = factories.child(town.durand, first_name="Léo")
    held_request(other, town.today, status=BasketStatus.AWAITING_PAYMENT)  # being paid
    cancelled = paid_booking(factories.child(town.durand, first_name="Zoé"), town.today)
    cancelled.status = BookingStatus.CANCELLED
    cancelled.save()

    row = count_for(town, town.today)
    assert (row.capacity, row.reserved, row.requested) == (30, 1, 2)
    assert row.expected == 3
    assert row.places_left == 27
    # Emy (sans porc) confirmed, Lise (PAI) awaiting payment; Tom's lapsed hold is not there.
    assert (row.special_diet, row.pai) == (1, 1)
    assert [(c.first_name, c.confirmed) for c in row.diet_children] == [
        ("Emy", True),
        ("Lise", False),
    ]
    assert row.diets == [("sans porc", 1)]


def test_a_closed_day_has_no_place_left_and_says_why(town):
    town.today.is_open = False
    town.today.closed_reason = "Grève"
    town.today.save()
    row = count_for(town, town.today)
    assert (row.is_open, row.closed_reason, row.places_left) == (False, "Grève", 0)


def test_four_queries_whatever_the_number_of_sessions_and_bookings(town, django_assert_num_queries):
    start, end = period_range(town.today.date, "week")
    with django_assert_num_queries(4):
        small = head_counts(start, end)
    for offset in range(-6, 7):
        day = town.today.date + datetime.timedelta(days=offset)
        session = town.canteen.sessions.filter(date=day).first() or factories.session(
            town.canteen, day
        )
        for n in range(5):
            paid_booking(factories.child(town.durand, special_diet="halal" if n else ""), session)
    with django_assert_num_queries(4):
        big = head_counts(start, end)
    assert len(big) > len(small)
    assert (
        sum(r.reserved for r in big)
        == Booking.objects.filter(session__date__range=(start, end)).count()
    )


def test_periods_cover_a_day_a_week_and_a_month():
    day = datetime.date(2026, 12, 10)  # a Thursday
    assert period_range(day, "day") == (day, day)
    assert period_range(day, "week") == (datetime.date(2026, 12, 7), datetime.date(2026, 12, 13))
    assert period_range(day, "month") == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))


def test_the_kitchen_reads_the_printable_page_without_any_price(town):
    paid_booking(town.emy, town.today)
    paid_booking(town.lise, town.today)
    page = client_for(town.cuisine, "en").get(reverse("backoffice:headcounts"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Restauration Scolaire Malves" in html and "Restauration Scolaire Pennautier" in html
    assert "sans porc" in html and "PAI" in html
    assert "€" not in html and "3,70" not in html
    assert 'bo-filter no-print"' in html  # hidden when printed
    assert reverse("backoffice:headcounts_csv") in html


def test_the_csv_export_is_ready_for_the_kitchens_order(town):
    paid_booking(town.emy, town.today)
    held_request(town.tom, town.today)
    response = client_for(town.cuisine, "en").get(
        reverse("backoffice:headcounts_csv"), {"date": town.today.date.isoformat()}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[0]
    assert header[:3] == ["Date", "Site", "Activity"]
    malves = [r for r in rows[1:] if r[2] == "Restauration Scolaire Malves"]
    assert len(malves) == 1
    line = dict(zip(header, malves[0], strict=True))
    assert line["Date"] == town.today.date.strftime("%d/%m/%Y")
    assert (line["Reserved"], line["Awaiting payment"], line["Expected"]) == ("1", "1", "2")
    assert line["Special diets"] == "sans porc ×1"


def test_the_xlsx_export_opens_in_a_spreadsheet(town):
    paid_booking(town.emy, town.today)
    response = client_for(town.gestionnaire, "en").get(
        reverse("backoffice:headcounts_xlsx"),
        {"date": town.today.date.isoformat(), "period": "week"},
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Date"
    malves_today = [
        r
        for r in rows[1:]
        if r[2] == "Restauration Scolaire Malves" and r[0].date() == town.today.date
    ]
    assert malves_today[0][7] == 1  # reserved


def test_an_attendance_agent_sees_its_own_sites_only(town):
    client = client_for(town.pointage, "en")
    html = client.get(reverse("backoffice:headcounts")).content.decode()
    assert "Restauration Scolaire Malves" in html
    assert "Restauration Scolaire Pennautier" not in html
    api = client.get("/api/v1/staff/headcounts", {"date": town.today.date.isoformat()})
    assert {row["site"] for row in api.json()} == {"École Malves"}


def test_the_api_answers_the_documented_keys(town):
    paid_booking(town.emy, town.today)
    held_request(town.lise, town.today)
    response = client_for(town.cuisine, "en").get(
        "/api/v1/staff/headcounts", {"date": town.today.date.isoformat()}
    )
    assert response.status_code == 200
    rows = {row["session_id"]: row for row in response.json()}
    row = rows[town.today.pk]
    assert row == {
        "site": "École Malves",
        "activity_id": town.canteen.pk,
        "activity": "Restauration Scolaire Malves",
        "session_id": town.today.pk,
        "capacity": 30,
        "reserved": 1,
        "requested": 1,
        "places_left": 28,
        "is_open": True,
        "closed_reason": "",
        "special_diet": 1,
        "pai": 1,
    }
    assert set(rows) == {town.today.pk, town.alae_today.pk, town.other_today.pk}


def test_the_api_refuses_a_bad_date_parents_and_strangers(town):
    kitchen = client_for(town.cuisine, "en")
    bad = kitchen.get("/api/v1/staff/headcounts", {"date": "07/12/2026"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "date"
    parent = client_for(town.parent, "en").get("/api/v1/staff/headcounts", {"date": "2026-12-07"})
    assert parent.status_code == 403
    assert Client().get("/api/v1/staff/headcounts", {"date": "2026-12-07"}).status_code == 401
    no_role = client_for(factories.staff(), "en").get(
        "/api/v1/staff/headcounts", {"date": "2026-12-07"}
    )
    assert no_role.status_code == 403


def test_a_parent_reaches_no_head_count_page(town):
    client = client_for(town.parent, "en")
    for name in ("headcounts", "headcounts_csv", "headcounts_xlsx"):
        assert client.get(reverse(f"backoffice:{name}")).status_code == 403


def test_a_bad_date_on_the_page_says_so_and_shows_today(town):
    response = client_for(town.cuisine, "en").get(
        reverse("backoffice:headcounts"), {"date": "hier"}
    )
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()
    export = client_for(town.cuisine, "en").get(
        reverse("backoffice:headcounts_csv"), {"period": "year"}
    )
    assert export.status_code == 400 and export["Content-Type"].startswith("text/html")
    assert timezone.localdate() == town.today.date
