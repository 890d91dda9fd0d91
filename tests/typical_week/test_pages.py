"""The "Type" page (/planning/type/): the form, its preview, the confirmation, the switch."""

import re
from html import unescape

import pytest
from django.test import Client

from portail.activities import calendar
from portail.core.money import format_cents
from portail.reservations.models import (
    Basket,
    BasketLine,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryEntry,
    TypicalWeek,
)
from tests import factories
from tests.factories import paid_booking
from tests.world.commune import seed_family
from tests.world.days import CANTEEN_DAYS
from tests.world.web import fr, text_of

pytestmark = pytest.mark.django_db

URL = "/planning/type/"


def ticks(world, weekdays=CANTEEN_DAYS, children=None) -> list[str]:
    return [
        f"{child.pk}:{world.activity.pk}:{day}"
        for child in children or world.children
        for day in weekdays
    ]


def params(world, weekdays=CANTEEN_DAYS, mode="reserve", **extra) -> dict:
    data = {
        "step": "preview",
        "day": ticks(world, weekdays),
        "from": world.start.isoformat(),
        "to": world.end.isoformat(),
        "mode": mode,
    }
    data.update(extra)
    return data


def snapshot() -> tuple:
    return (
        Basket.objects.count(),
        Booking.objects.count(),
        BasketLine.objects.count(),
        HistoryEntry.objects.count(),
        TypicalWeek.objects.count(),
    )


def test_the_type_page_shows_one_generic_week_per_child_with_a_label_on_every_box(client):
    world = seed_family(weeks=4)
    client.force_login(world.user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for child in world.children:
        assert f"<caption>PAGES-TEST {child.first_name}</caption>" in html
        for day in CANTEEN_DAYS:
            value = f"{child.pk}:{world.activity.pk}:{day}"
            input_id = "day-" + value.replace(":", "-")
            assert f'value="{value}" id="{input_id}"' in html
            assert f'<label for="{input_id}"' in html
        # No canteen on Wednesdays: no box, said in text.
        assert f'value="{child.pk}:{world.activity.pk}:2"' not in html
    assert '<label for="field-from">' in html and '<label for="field-to">' in html
    assert 'id="mode-reserve"' in html and '<label for="mode-reserve">' in html
    assert 'method="get"' in html


def test_the_real_and_typical_switch_marks_the_current_mode(client):
    world = seed_family(weeks=4)
    client.force_login(world.user)
    html = client.get(URL).content.decode()
    nav = re.search(r'<nav class="mode-switch".*?</nav>', html, re.S).group(0)
    assert 'href="/planning/"' in nav
    assert re.search(r'href="/planning/type/" aria-current="page"', nav)
    assert 'href="/planning/" aria-current' not in nav


def test_the_form_starts_from_the_remembered_typical_week(client):
    world = seed_family(weeks=4)
    emy, lise = world.children
    TypicalWeek.objects.create(child=emy, activity=world.activity, weekdays="0,3")
    client.force_login(world.user)
    html = client.get(URL).content.decode()
    for child, day, checked in [(emy, 0, True), (emy, 1, False), (emy, 3, True), (lise, 0, False)]:
        value = f"{child.pk}:{world.activity.pk}:{day}"
        tag = re.search(rf'<input type="checkbox" name="day" value="{value}"[^>]*>', html).group(0)
        assert ("checked" in tag) is checked


def test_the_preview_lists_the_days_prices_skipped_days_and_total_and_changes_nothing(client):
    world = seed_family(weeks=4)
    emy, lise = world.children
    sessions = world.sessions_on()
    closed = sessions[0]
    calendar.close_sessions([closed], "Grève du personnel")
    paid_booking(lise, sessions[1])
    client.force_login(world.user)
    before = snapshot()
    response = client.get(URL, params(world))
    assert response.status_code == 200
    assert snapshot() == before
    html = response.content.decode()
    text = text_of(html)
    booked = 2 * len(sessions) - 2 - 1  # the closed day for both, Lise's paid day
    assert fr("Days that will be booked: %(count)s") % {"count": booked} in text
    assert format_cents(370 * booked) in text
    assert "Grève du personnel" in text
    days_table = re.search(r'<section aria-labelledby="days-title".*?</section>', html, re.S)
    assert days_table.group(0).count("<tr>") == booked + 2  # header and total rows
    skipped_table = re.search(r'<section aria-labelledby="skipped-title".*?</section>', html, re.S)
    assert skipped_table.group(0).count("<tr>") - 1 >= 3
    # The confirmation form carries the choice and a CSRF token.
    form = re.search(r'<form method="post".*?</form>', html, re.S).group(0)
    assert "csrfmiddlewaretoken" in form
    assert f'name="expected" value="{booked}"' in form
    for value in ticks(world):
        assert f'name="day" value="{value}"' in form


def test_confirming_puts_every_day_in_the_basket_and_goes_to_the_basket_page():
    world = seed_family(weeks=4)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user)
    preview = client.get(URL, params(world)).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', preview).group(1)
    data = {k: v for k, v in params(world).items() if k != "step"}
    refused = client.post(URL, data)
    assert refused.status_code == 403
    assert Booking.objects.count() == 0
    response = client.post(URL, {**data, "csrfmiddlewaretoken": token, "expected": "0"})
    assert response.status_code == 302
    assert response["Location"] == "/panier/"
    basket = Basket.objects.get(household=world.household)
    assert basket.status == BasketStatus.OPEN
    expected = 2 * len(world.sessions_on())
    assert basket.lines.count() == expected
    assert HistoryEntry.objects.filter(channel=Channel.TYPICAL_WEEK).count() == expected
    assert TypicalWeek.objects.filter(child__household=world.household).count() == 2
    page = client.get("/panier/")
    assert format_cents(370 * expected) in text_of(page.content.decode())


def test_a_confirmation_told_when_days_went_since_the_preview(client):
    world = seed_family(weeks=4)
    sessions = world.sessions_on()
    full = sessions[0]
    full.capacity = 1
    full.save()
    client.force_login(world.user)
    expected = 2 * len(sessions)
    data = {k: v for k, v in params(world).items() if k != "step"}
    response = client.post(URL, {**data, "expected": str(expected)}, follow=True)
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert Booking.objects.filter(status=BookingStatus.REQUESTED).count() == expected - 1
    went_in = fr(
        "Days of your typical week put in the basket: %(count)s (%(total)s). Pay for the "
        "whole period at once."
    ) % {"count": expected - 1, "total": format_cents(370 * (expected - 1))}
    assert went_in in text
    gone = fr(
        "Days shown in the preview that could not change any more (they became full, "
        "or their deadline passed meanwhile): %(count)s."
    ) % {"count": 1}
    assert gone in text


def test_wrong_dates_and_no_tick_are_announced_on_the_form_and_change_nothing(client):
    world = seed_family(weeks=4)
    client.force_login(world.user)
    before = snapshot()
    response = client.get(URL, params(world, **{"from": "31/02/2027", "to": "", "day": []}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'href="#field-from"' in html and 'href="#field-to"' in html
    assert 'href="#field-days"' in html
    assert re.search(r'id="field-from"[^>]*aria-invalid="true"', html)
    assert 'id="from-error"' in html and 'id="to-error"' in html
    assert snapshot() == before


def test_the_end_before_the_start_is_refused_on_the_to_field(client):
    world = seed_family(weeks=4)
    client.force_login(world.user)
    response = client.get(
        URL, params(world, **{"from": world.end.isoformat(), "to": world.start.isoformat()})
    )
    html = response.content.decode()
    assert re.search(r'id="field-to"[^>]*aria-invalid="true"', html)
    assert 'role="alert"' in html


def test_another_households_child_cannot_be_previewed_or_booked(client):
    world = seed_family(weeks=4)
    stranger = factories.child(factories.household())
    factories.enrolment(stranger, world.activity)
    client.force_login(world.user)
    before = snapshot()
    evil = {"day": [f"{stranger.pk}:{world.activity.pk}:0"]}
    preview = client.get(URL, params(world, **evil))
    assert 'role="alert"' in preview.content.decode()
    data = {k: v for k, v in params(world, **evil).items() if k != "step"}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert snapshot() == before


def test_malformed_ticks_are_refused(client):
    world = seed_family(weeks=4)
    client.force_login(world.user)
    data = {k: v for k, v in params(world, day=["1:2:9", "x"]).items() if k != "step"}
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Booking.objects.count() == 0


def test_confirming_when_nothing_can_change_any_more_says_so_on_the_preview(client):
    world = seed_family(weeks=4)
    for session in world.sessions_on():
        for child in world.children:
            paid_booking(child, session)
    client.force_login(world.user)
    before = snapshot()
    data = {k: v for k, v in params(world).items() if k != "step"}
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert '<form method="post" action="/planning/type/"' not in html
    assert snapshot() == before


def test_cancel_mode_previews_the_credit_of_paid_days(client):
    world = seed_family(weeks=4)
    emy = world.children[0]
    mondays = world.sessions_on(weekdays=(0,))
    for session in mondays:
        paid_booking(emy, session)
    client.force_login(world.user)
    data = params(world, weekdays=(0,), mode="cancel")
    data["day"] = [f"{emy.pk}:{world.activity.pk}:0"]
    response = client.get(URL, data)
    text = text_of(response.content.decode())
    assert format_cents(370 * len(mondays)) in text
    assert fr("Days that will be cancelled: %(count)s") % {"count": len(mondays)} in text


def test_the_page_needs_a_signed_in_guardian(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/compte/" in response["Location"]
    client.force_login(factories.staff())
    assert client.get(URL).status_code == 403


def test_change_the_choice_comes_back_to_the_form_as_it_was_filled(client):
    world = seed_family(weeks=4)
    emy = world.children[0]
    client.force_login(world.user)
    preview = client.get(URL, params(world, weekdays=(1,))).content.decode()
    back = unescape(re.search(r'href="(\?day=[^"]+)"', preview).group(1))
    html = client.get(URL + back).content.decode()
    assert 'role="alert"' not in html
    tag = re.search(
        rf'<input type="checkbox" name="day" value="{emy.pk}:{world.activity.pk}:1"[^>]*>', html
    )
    assert "checked" in tag.group(0)
    other = re.search(
        rf'<input type="checkbox" name="day" value="{emy.pk}:{world.activity.pk}:0"[^>]*>', html
    )
    assert "checked" not in other.group(0)
    assert f'id="field-from" value="{world.start.isoformat()}"' in html
