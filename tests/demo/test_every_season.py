"""The demo is alive on every day of the year: past paid weeks, a credit, weeks to book.

`make run` loads the demo on whatever day a newcomer tries the portal, so each instant of
`tests.clock.CALENDAR_EDGES` (school holidays, the summer break, the first and last school
day, just after midnight in Paris, the changes of time, 29 February) loads it and walks the
parent's journey over HTTP: the paid weeks and the credit are there, the planning opens, and
a day ahead can be booked and a typical week previewed.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from portail.activities.models import BillingMode
from portail.billing import credits
from portail.billing.models import Invoice, InvoiceLine, InvoiceStatus
from portail.demo.builder import demo_school_years
from portail.demo.commune import CANTEEN_MALVES
from portail.families.models import Household
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus
from tests.clock import CALENDAR_EDGES

D = datetime.date
WEEKS_AHEAD = 12  # the summer break is at most 9 weeks


def week_code(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parent_api() -> Client:
    client = Client()
    response = client.post(
        "/api/v1/auth/token",
        {"email": "parent@example.org", "password": "parent-demo"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return Client(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")


def first_bookable_cells(api: Client, today: datetime.date) -> list[dict]:
    """The first week ahead with a canteen day the parent can book, as planning cells."""
    for weeks in range(WEEKS_AHEAD + 1):
        week = week_code(today + datetime.timedelta(weeks=weeks))
        response = api.get("/api/v1/planning", {"week": week})
        assert response.status_code == 200, response.content
        cells = [
            c
            for c in response.json()["cells"]
            if c["activity"] == CANTEEN_MALVES and c["editable"] and c["state"] == "not_reserved"
        ]
        if cells:
            return cells
    raise AssertionError(f"nothing to book in the {WEEKS_AHEAD} weeks after {today}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("moment", CALENDAR_EDGES.values(), ids=CALENDAR_EDGES.keys())
def test_the_demo_is_alive_whatever_the_day(moment, time_machine):
    time_machine.move_to(moment)
    today = timezone.localdate()
    assert today == moment.date()  # local time, not UTC: 00:30 in Paris is already today
    call_command("load_demo", stdout=StringIO())
    household = Household.objects.get(name="PAGES-TEST")

    # Past weeks paid, their tickets kept, and the credit of the cancelled day.
    reserved = Booking.objects.filter(child__household=household, status=BookingStatus.RESERVED)
    assert {b.child.first_name for b in reserved} == {"Emy", "Lise"}
    assert all(b.session.date < today for b in reserved)
    assert Basket.objects.filter(household=household, status=BasketStatus.PAID).count() == 2
    assert credits.available_cents(household) == 370

    # Invoices of the past months (ALAE on attendance, supervised homework on booking):
    # the older paid at the counter, the latest unpaid.
    invoices = list(Invoice.objects.filter(household=household).order_by("issued_on", "pk"))
    assert len(invoices) == 2
    assert [i.status for i in invoices] == [InvoiceStatus.PAID, InvoiceStatus.UNPAID]
    assert all(i.issued_on <= today and i.total_cents > 0 for i in invoices)
    lines = InvoiceLine.objects.filter(invoice__in=invoices).select_related(
        "invoice", "session__activity"
    )
    assert all(line.session.date < line.invoice.issued_on for line in lines)
    assert {line.session.activity.billing_mode for line in lines} == {
        BillingMode.ON_ATTENDANCE,
        BillingMode.ON_BOOKING,
    }

    # The pages open, with the credit on the home page.
    web = Client()
    assert web.login(email="parent@example.org", password="parent-demo")
    assert "3,70" in web.get("/").content.decode()
    assert web.get("/planning/").status_code == 200

    # A day ahead can be booked, at its price, with the credit applied.
    api = parent_api()
    # Without a week, the planning is this week in Paris (Monday 00:30 is not Sunday).
    monday = today - datetime.timedelta(days=today.weekday())
    assert api.get("/api/v1/planning").json()["start"] == monday.isoformat()
    cells = first_bookable_cells(api, today)
    assert all(D.fromisoformat(c["date"]) >= today for c in cells)
    cell = cells[-1]
    response = api.post(
        "/api/v1/basket",
        {"add": [{"child_id": cell["child_id"], "session_id": cell["session_id"]}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    basket = response.json()
    assert basket["reservations_total_cents"] == cell["price_cents"] > 0
    assert basket["credit_applied_cents"] == min(370, cell["price_cents"])

    # The typical week's default period starts on the next bookable day.
    response = api.post(
        "/api/v1/basket/typical-week",
        {
            "child_id": cell["child_id"],
            "activity_id": cell["activity_id"],
            "weekdays": [0, 1, 3, 4],
            "dry_run": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    plan = response.json()
    assert today.isoformat() <= plan["from"] <= cell["date"]
    assert plan["days"]


@pytest.mark.parametrize(
    ("today", "years"),
    [
        # In term, well inside the year: that year only.
        (D(2026, 11, 26), [(D(2026, 9, 1), D(2027, 7, 2))]),
        # The first weeks of a year and the summer before it: the year before too, for
        # the paid history.
        (D(2026, 9, 1), [(D(2025, 9, 1), D(2026, 7, 3)), (D(2026, 9, 1), D(2027, 7, 2))]),
        (D(2027, 7, 21), [(D(2026, 9, 1), D(2027, 7, 2)), (D(2027, 9, 1), D(2028, 7, 3))]),
        # The last weeks of a year: the next one too, to book after the summer.
        (D(2027, 6, 14), [(D(2026, 9, 1), D(2027, 7, 2)), (D(2027, 9, 1), D(2028, 7, 3))]),
        # A neighbouring year the published calendar does not know yet is left out.
        (D(2028, 6, 1), [(D(2027, 9, 1), D(2028, 7, 3))]),
    ],
)
def test_the_demo_covers_the_school_years_around_today(today, years):
    assert demo_school_years(today) == years
