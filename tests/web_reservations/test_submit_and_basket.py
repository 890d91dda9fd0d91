"""Submitting the planning form, the basket page ("Contenu du panier") and ANNULER."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation

from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    HistoryEntry,
    LineKind,
)
from portail.reservations.states import CellState
from tests.factories import paid_booking
from tests.world.commune import CANTEEN, seed_family
from tests.world.web import change, fr, text_of

pytestmark = pytest.mark.django_db


def post(client, fam, values, week=None):
    client.force_login(fam.user)
    return client.post(
        f"/planning/?week={week or fam.week}", {"week": week or fam.week, "change": values}
    )


def seed_four_meals(client, fam):
    """The seed's basket: Emy and Lise, two days each, 3,70 € a meal."""
    days = fam.days[2:]  # Thursday and Friday, like the seed's 30 and 31 March
    values = [change("reserve", kid, fam.sessions[day]) for day in days for kid in fam.children]
    return post(client, fam, values)


def test_reserving_goes_to_the_basket_with_the_seed_columns_and_totals(client):
    fam = seed_family()
    response = seed_four_meals(client, fam)
    assert response.status_code == 302
    assert response["Location"] == "/panier/"

    html = client.get("/panier/").content.decode()
    text = text_of(html)
    headings = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    assert headings == [
        fr(h) for h in ["Status", "Activity", "Child", "Date", "Time", "Quantity", "Price", "Total"]
    ]
    assert fr("Basket contents") in text
    assert text.count(fr("PRE-RESERVATION")) == 4
    assert "PAGES-TEST Emy" in text and "PAGES-TEST Lise" in text
    for day in fam.days[2:]:
        assert day.strftime("%d/%m/%Y") in text
    assert text.count(CANTEEN) == 4
    assert "12:00" in text
    assert text.count("3,70\xa0€") == 8  # unit price and line total, 4 lines
    assert fr("Total amount of the reservation") in text
    assert "14,80\xa0€" in text
    assert fr("Total amount of the cancellation") not in text
    # The hold: "Vos places sont réservées jusqu'à 18:42 (encore 27 minutes)".
    basket = Basket.objects.get(household=fam.household, status=BasketStatus.OPEN)
    until = timezone.localtime(basket.expires_at).strftime("%H:%M")
    assert until in text
    assert re.search(r"\b(30|29) minutes?\b", text)
    # PAYER (the checkout, tests/billing/checkout), posting the amount shown.
    assert f">{fr('PAY')}</button>" in html
    assert 'name="expected_due_cents" value="1480"' in html
    # Every request was recorded as made through the website, by the parent.
    entries = HistoryEntry.objects.filter(child__household=fam.household)
    assert entries.count() == 4
    assert set(entries.values_list("channel", flat=True)) == {"web"}
    assert set(entries.values_list("actor_label", flat=True)) == {fam.user.email}


def test_basket_page_in_english(client):
    fam = seed_family()
    seed_four_meals(client, fam)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = text_of(client.get("/panier/").content.decode())
    assert "Basket contents" in text
    assert "Total amount of the reservation" in text
    assert "€14.80" in text
    assert "PRE-RESERVATION" in text


def test_the_planning_then_shows_the_requests(client):
    fam = seed_family()
    seed_four_meals(client, fam)
    html = client.get(f"/planning/?week={fam.week}").content.decode()
    assert html.count("block state state--requested") == 4
    assert html.count('value="undo_request:') == 4
    assert 'href="/panier/"' in html  # "You have changes waiting in your basket."


def test_cancelling_a_paid_day_and_its_total(client):
    fam = seed_family()
    thursday, friday = fam.days[2:]
    for day in (thursday, friday):
        paid_booking(fam.emy, fam.sessions[day])
    values = [change("cancel", fam.emy, fam.sessions[day]) for day in (thursday, friday)]
    response = post(client, fam, values)
    assert response.status_code == 302
    text = text_of(client.get("/panier/").content.decode())
    assert text.count(fr("CANCELLATION")) == 2
    assert " -1 " in text
    assert fr("Total amount of the cancellation") in text
    assert "7,40\xa0€" in text
    assert "-3,70\xa0€" in text  # each line's total: -1 x 3,70 €
    assert fr("Total amount of the reservation") not in text
    # The bookings stand until the basket is validated.
    assert Booking.objects.filter(child=fam.emy, status=BookingStatus.RESERVED).count() == 2


def test_undoing_a_request_withdraws_it(client):
    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    post(
        client,
        fam,
        [change("reserve", fam.emy, monday), change("reserve", fam.children[1], monday)],
    )
    response = post(client, fam, [change("undo_request", fam.emy, monday)])
    assert response.status_code == 302
    assert Booking.objects.get(child=fam.emy, session=monday).status == BookingStatus.RELEASED
    assert BasketLine.objects.filter(basket__household=fam.household).count() == 1


def test_undoing_a_cancellation_keeps_the_day(client):
    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    paid_booking(fam.emy, monday)
    post(client, fam, [change("cancel", fam.emy, monday)])
    assert BasketLine.objects.filter(kind=LineKind.CANCELLATION).count() == 1
    response = post(client, fam, [change("undo_request", fam.emy, monday)])
    assert response.status_code == 302
    assert BasketLine.objects.filter(kind=LineKind.CANCELLATION).count() == 0
    assert Booking.objects.get(child=fam.emy, session=monday).status == BookingStatus.RESERVED


def test_undo_on_a_block_that_changed_meanwhile_is_refused(client):
    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    paid_booking(fam.emy, monday)  # reserved, no cancellation asked: nothing to undo
    response = post(client, fam, [change("undo_request", fam.emy, monday)])
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Basket.objects.filter(household=fam.household, status=BasketStatus.OPEN).exists()
    assert Booking.objects.get(child=fam.emy, session=monday).status == BookingStatus.RESERVED


def test_refused_submission_shows_one_message_per_block_and_changes_nothing(client):
    fam = seed_family(default_capacity=1)
    monday, tuesday = (fam.sessions[day] for day in fam.days[:2])
    other = seed_family(names=("Paul",), household_name="AUTRE", act=(fam.activity, fam.sessions))
    paid_booking(other.emy, monday)  # Monday is full
    values = [
        change("reserve", fam.emy, monday),  # refused: full
        change("reserve", fam.emy, tuesday),  # fine on its own
    ]
    before = (Booking.objects.count(), BasketLine.objects.count(), HistoryEntry.objects.count())
    response = post(client, fam, values)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        Booking.objects.count(),
        BasketLine.objects.count(),
        HistoryEntry.objects.count(),
    ) == before
    assert not Basket.objects.filter(household=fam.household).exists()
    alert = re.search(
        r'<div class="message message--error planning-errors" role="alert".*?</div>', html, re.S
    )
    assert alert
    # One message, linked to the refused block's checkbox... which is no longer a checkbox:
    # the page is drawn again with Monday "Complet" and says why next to it.
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', alert.group(0))
    assert len(links) == 1
    target, message = links[0]
    assert target == f"cell-{fam.emy.pk}-{monday.pk}"
    assert f'id="{target}"' in html
    assert "Emy" in message
    assert f'id="error-{fam.emy.pk}-{monday.pk}"' in html
    with translation.override("fr"):
        assert str(CellState.FULL.label) in html
    # The accepted change stays ticked so it can be sent again at once.
    assert re.search(rf'value="reserve:{fam.emy.pk}:{tuesday.pk}" id="[^"]+"\s+checked', html)


def test_refused_block_that_can_still_change_is_linked_by_its_checkbox(client):
    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    # A forged "cancel" of a day that is not booked: refused, the block can still be reserved.
    response = post(client, fam, [change("cancel", fam.emy, monday)])
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#change-{fam.emy.pk}-{monday.pk}">' in html
    assert (
        f'aria-describedby="hint-reserve error-{fam.emy.pk}-{monday.pk}" aria-invalid="true"'
        in html
    )
    assert not Basket.objects.exists()


def test_one_block_asked_for_two_changes_is_rejected(client):
    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    response = post(
        client, fam, [change("reserve", fam.emy, monday), change("cancel", fam.emy, monday)]
    )
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_the_same_tick_sent_twice_counts_once(client):
    fam = seed_family()
    value = change("reserve", fam.emy, fam.sessions[fam.days[0]])
    assert post(client, fam, [value, value]).status_code == 302
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "values",
    [
        ["reserve:abc:1"],
        ["delete:1:2"],
        ["reserve:1"],
        ["reserve:1:2:3"],
        [""],
        ["reserve:-1:2"],
        ["reserve:0:2"],
        ["reserve:１:2"],  # a full-width digit
        ["reserve:99999999999999999999999:1"],
        ["reserve::"],
    ],
)
def test_malformed_change_values_are_rejected_and_change_nothing(client, values):
    fam = seed_family()
    good = change("reserve", fam.emy, fam.sessions[fam.days[0]])
    response = post(client, fam, [good, *values])
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert fr("The changes sent are not valid; nothing was changed. Please try again.") in text_of(
        html
    )
    assert not Booking.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_submitting_nothing_asks_to_tick_a_block(client):
    fam = seed_family()
    client.force_login(fam.user)
    response = client.post(f"/planning/?week={fam.week}", {"week": fam.week})
    assert response.status_code == 200
    assert fr("Tick at least one block before submitting.") in text_of(response.content.decode())
    assert not Basket.objects.exists()


def test_too_many_changes_are_refused(client):
    fam = seed_family()
    values = [f"reserve:1:{n}" for n in range(1, 502)]
    response = post(client, fam, values)
    assert response.status_code == 400
    assert not Booking.objects.exists()


def test_another_households_child_or_day_is_refused_without_leaking_it(client):
    fam = seed_family()
    other = seed_family(names=("Zoé",), household_name="VOISINS")
    their_session = other.sessions[other.days[0]]
    attempts = [
        [change("reserve", other.emy, fam.sessions[fam.days[0]])],  # their child, our day
        [change("reserve", fam.emy, their_session)],  # our child, their activity's day
        [change("cancel", other.emy, their_session)],
        ["reserve:987654:123456"],  # ids that do not exist at all
    ]
    messages = []
    for values in attempts:
        response = post(client, fam, values)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'role="alert"' in html
        assert "Zoé" not in html and "VOISINS" not in html
        alert = re.search(r'role="alert".*?</div>', html, re.S).group(0)
        messages.append(text_of(alert))
    # An existing id of another household reads exactly like one that does not exist.
    assert messages[0] == messages[3]
    assert not Booking.objects.exists()
    assert not Basket.objects.exists()


def test_csrf_is_required(client):
    from django.test import Client

    fam = seed_family()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(fam.user)
    response = strict.post(
        "/planning/", {"change": change("reserve", fam.emy, fam.sessions[fam.days[0]])}
    )
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_empty_basket_page_links_to_the_planning(client):
    fam = seed_family()
    client.force_login(fam.user)
    html = client.get("/panier/").content.decode()
    assert fr("Your basket is empty.") in html
    assert 'href="/planning/"' in html


def test_annuler_asks_for_confirmation_then_releases_the_places(client):
    fam = seed_family(default_capacity=2)
    seed_four_meals(client, fam)
    confirm = client.get("/panier/annuler/")
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert '<form method="post" action="/panier/annuler/">' in html
    assert Basket.objects.filter(status=BasketStatus.OPEN).count() == 1  # GET changes nothing

    response = client.post("/panier/annuler/")
    assert response.status_code == 302
    assert response["Location"] == "/panier/"
    assert not Basket.objects.filter(status=BasketStatus.OPEN).exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.RELEASED}
    assert fr("Your basket is empty.") in client.get("/panier/").content.decode()
    # The places are free again: another family can take both places of Thursday.
    other = seed_family(names=("A", "B"), household_name="AUTRE", act=(fam.activity, fam.sessions))
    thursday = fam.sessions[fam.days[2]]
    response = post(client, other, [change("reserve", kid, thursday) for kid in other.children])
    assert response.status_code == 302
    # And the history says the parent removed them through the website.
    removed = HistoryEntry.objects.filter(
        child__household=fam.household, action="remove_reservation"
    )
    assert removed.count() == 4
    assert set(removed.values_list("channel", flat=True)) == {"web"}


def test_annuler_without_a_basket_changes_nothing(client):
    fam = seed_family()
    client.force_login(fam.user)
    assert client.get("/panier/annuler/")["Location"] == "/panier/"
    response = client.post("/panier/annuler/", follow=True)
    assert response.status_code == 200
    assert not HistoryEntry.objects.exists()


def test_expired_basket_is_empty(client):
    fam = seed_family()
    seed_four_meals(client, fam)
    Basket.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    html = client.get("/panier/").content.decode()
    assert fr("Your basket is empty.") in html


def test_basket_details_download_as_pdf(client):
    fam = seed_family()
    seed_four_meals(client, fam)
    response = client.get("/panier/detail.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_one_households_basket_is_not_anothers(client):
    fam = seed_family()
    seed_four_meals(client, fam)
    other = seed_family(names=("Zoé",), household_name="VOISINS")
    client.force_login(other.user)
    html = client.get("/panier/").content.decode()
    assert fr("Your basket is empty.") in html
    assert "PAGES-TEST" not in html
    client.post("/panier/annuler/")
    assert Basket.objects.filter(household=fam.household, status=BasketStatus.OPEN).exists()
