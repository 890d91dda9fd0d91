"""The staff's list of invoices: each status, overdue (unpaid or partially paid after the
due date), the household search, the period of issue, the totals of what is listed."""

import pytest
from django.urls import reverse

from tests.world.invoices import LEISURE_PRICE as PRICE
from tests.world.invoices import invoices_in_every_state
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:invoices")


@pytest.fixture
def states(settings):
    return invoices_in_every_state(settings)


@pytest.fixture
def client():
    return client_for(gestionnaire("gestion@example.org"))


def listed(client, **query) -> list[str]:
    response = client.get(URL, query)
    assert response.status_code == 200
    return [invoice.number for invoice in response.context["page"]]


def numbers(*invoices) -> list[str]:
    return sorted(invoice.number for invoice in invoices)


def test_every_invoice_without_filter(client, states):
    assert sorted(listed(client)) == numbers(*states.all)


@pytest.mark.parametrize("status", ["unpaid", "partially_paid", "paid", "cancelled"])
def test_each_status(client, states, status):
    expected = {
        "unpaid": [states.unpaid, states.recent],
        "partially_paid": [states.partial],
        "paid": [states.paid],
        "cancelled": [states.cancelled],
    }[status]
    assert sorted(listed(client, status=status)) == numbers(*expected)


def test_overdue_is_unpaid_or_partially_paid_past_the_due_date(client, states):
    assert str(states.unpaid.due_on) == "2026-10-22"
    assert str(states.recent.due_on) == "2026-12-03"
    assert sorted(listed(client, status="overdue")) == numbers(states.unpaid, states.partial)


def test_not_overdue_on_its_due_date(client, states, time_machine):
    time_machine.move_to("2026-10-22 18:00 +02:00")
    assert listed(client, status="overdue") == []
    time_machine.move_to("2026-10-23 09:00 +02:00")
    assert sorted(listed(client, status="overdue")) == numbers(states.unpaid, states.partial)


def test_the_counts_by_status_and_overdue(client, states):
    counts = {status: n for status, _label, n in client.get(URL).context["counts"]}
    assert counts == {
        "unpaid": 2,
        "partially_paid": 1,
        "paid": 1,
        "cancelled": 1,
        "overdue": 2,
    }


def test_household_search_by_name_child_or_number(client, states):
    assert listed(client, q="martin") == [states.unpaid.number]
    assert listed(client, q=states.paid.number) == [states.paid.number]
    child = states.world.child
    assert states.unpaid.number in listed(client, q=child.first_name)
    assert listed(client, q="nobody-has-this-name") == []


def test_one_household_from_its_page(client, states):
    response = client.get(URL, {"household": states.partial.household_id})
    assert [i.number for i in response.context["page"]] == [states.partial.number]
    assert response.context["household"].pk == states.partial.household_id


def test_period_of_issue(client, states):
    october = listed(client, start="2026-10-01", end="2026-10-31")
    assert sorted(october) == numbers(states.unpaid, states.partial, states.paid, states.cancelled)
    assert listed(client, start="03/11/2026", end="03/11/2026") == [states.recent.number]


def test_totals_of_what_is_listed(client, states):
    totals = client.get(URL, {"status": "overdue"}).context["totals"]
    assert totals.count == 2
    assert totals.total_cents == 2 * PRICE
    assert totals.paid_cents == 300
    assert totals.remaining_cents == 2 * PRICE - 300
    everything = client.get(URL).context["totals"]
    assert everything.total_cents == 5 * PRICE
    assert everything.cancelled_cents == PRICE
    assert everything.remaining_cents == 2 * PRICE + (PRICE - 300)


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-10-31", "end": "2026-10-01"},
        {"start": "31/02/2026"},
        {"start": "1900-01-01"},
        {"status": "lost"},
        {"household": "abc"},
        {"household": "99999999999999999999999"},
    ],
)
def test_bad_filters_answer_400_with_the_reason(client, states, query):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_the_page_shows_the_overdue_mark(client, states):
    page = client.get(URL, {"status": "overdue"}).content.decode()
    assert states.unpaid.number in page
    assert "en retard" in page or "overdue" in page
