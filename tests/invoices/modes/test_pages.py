"""The planning, the basket page, its PDF and the API say in words which days are invoiced
later, and the amount to pay counts the prepaid days only."""

import pytest
from django.test import Client

from tests.invoices.modes.booking_flow import THURSDAY, WEDNESDAY, submit
from tests.pdftext import text as pdf_text
from tests.world import invoices
from tests.world.web import fr, text_of

pytestmark = pytest.mark.django_db


def parent(world) -> Client:
    client = Client()
    client.force_login(world.guardian.user)
    return client


def test_the_planning_says_which_days_are_invoiced_later_or_on_attendance():
    world = invoices.build()
    for activity, day in ((world.leisure, WEDNESDAY), (world.canteen, THURSDAY)):
        world.session(activity, day)
    world.session(world.alae, THURSDAY)

    page = text_of(parent(world).get("/planning/", {"week": "2026-W47"}).content.decode())

    # Each child's block (two children: its visible text and its accessible name), and the
    # legend.
    assert page.count(fr("Invoiced later")) == 5
    assert page.count(fr("Invoiced on attendance")) == 5
    # The legend says what it means.
    assert (
        fr(
            "No reservation is required: each day your child attends is on your next "
            "invoice, at your family's rate."
        )
        in page
    )


def test_a_ticked_day_invoiced_later_adds_nothing_to_the_changes_total():
    world = invoices.build()
    session = world.session(world.leisure, WEDNESDAY)
    canteen = world.session(world.canteen, THURSDAY)

    html = parent(world).get("/planning/", {"week": "2026-W47"}).content.decode()

    leisure_box = html.split(f'value="reserve:{world.child.pk}:{session.pk}"')[1]
    assert 'data-delta-cents="0"' in leisure_box.split(">")[0]
    canteen_box = html.split(f'value="reserve:{world.child.pk}:{canteen.pk}"')[1]
    assert f'data-delta-cents="{invoices.CANTEEN_PRICE}"' in canteen_box.split(">")[0]


def test_the_basket_page_shows_the_days_invoiced_later_apart_and_asks_only_the_rest():
    world = invoices.build()
    submit(world, add=[(world.leisure, WEDNESDAY), (world.canteen, THURSDAY)])
    client = parent(world)

    page = text_of(client.get("/panier/").content.decode())

    assert fr("Invoiced later") in page
    assert f"{fr('Invoiced later (not paid now)')} 8,00\xa0€" in page
    assert f"{fr('Amount to pay')} 3,70\xa0€" in page

    pdf = pdf_text(client.get("/panier/detail.pdf").content).replace("\xa0", " ")
    assert fr("Invoiced later (not paid now): %(amount)s", amount="8,00") in pdf
    assert fr("Total amount of the reservation: %(amount)s", amount="3,70") in pdf


def test_a_basket_of_days_invoiced_later_only_offers_ok():
    world = invoices.build()
    submit(world, add=[(world.leisure, WEDNESDAY)])

    html = parent(world).get("/panier/").content.decode()

    assert f"{fr('Amount to pay')} 0,00\xa0€" in text_of(html)
    assert 'aria-describedby="basket-ok-help"' in html
    assert 'aria-describedby="basket-pay-help"' not in html
    assert fr(
        "These days are invoiced later: there is nothing to pay now. OK validates the basket "
        "and books the days at once."
    ) in text_of(html)


def test_the_api_gives_each_line_invoiced_and_the_total_invoiced_later():
    world = invoices.build()
    submit(world, add=[(world.leisure, WEDNESDAY), (world.canteen, THURSDAY)])

    body = parent(world).get("/api/v1/basket").json()

    assert body["invoiced_total_cents"] == invoices.LEISURE_PRICE
    assert body["reservations_total_cents"] == invoices.CANTEEN_PRICE
    assert body["amount_due_cents"] == invoices.CANTEEN_PRICE
    assert sorted(line["invoiced"] for line in body["lines"]) == [False, True]
    planning = parent(world).get("/api/v1/planning", {"week": "2026-W47"}).json()
    modes = {cell["activity"]: cell["billing_mode"] for cell in planning["cells"]}
    assert modes == {
        world.leisure.name: "on_booking",
        world.canteen.name: "prepaid",
    }
