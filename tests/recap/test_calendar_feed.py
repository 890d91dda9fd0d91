"""The private calendar feed (iCalendar) of the children's paid bookings."""

import datetime
import html
import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portail.families.models import CalendarFeed
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus
from tests import factories
from tests.world.commune import PASSWORD
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/mes-donnees/calendrier/"


def booking(child, session, status: str = BookingStatus.RESERVED, price: int = 370) -> Booking:
    basket = Basket.objects.create(
        household=child.household,
        reference=f"PFTEST{child.pk}X{session.pk}",
        status=BasketStatus.VALIDATED,
    )
    return Booking.objects.create(
        child=child, session=session, status=status, price_cents=price, basket=basket
    )


@pytest.fixture
def upcoming(story):
    """Next week's sessions: Emy booked and paid on two days, Lise on one, one day only
    requested (not paid), one cancelled, and the other household's child on one day."""
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    days = [monday + datetime.timedelta(days=offset) for offset in (0, 1, 3, 4)]
    sessions = {day: factories.session(story.canteen, day) for day in days}
    paid = [
        booking(story.emy, sessions[days[0]]),
        booking(story.emy, sessions[days[1]]),
        booking(story.lise, sessions[days[0]], price=555),
    ]
    booking(story.emy, sessions[days[2]], status=BookingStatus.REQUESTED)
    booking(story.emy, sessions[days[3]], status=BookingStatus.CANCELLED)
    booking(story.other_child, sessions[days[0]])
    return paid


def make_feed(client: Client) -> str:
    """POST "make my address", then read it from the page it is shown on (once)."""
    response = client.post(SETTINGS_URL, {"action": "new"})
    assert response.status_code == 302
    page = client.get(SETTINGS_URL).content.decode()
    match = re.search(r'value="(https?://[^"]+\.ics)"', page)
    assert match, page
    assert match[1] not in client.get(SETTINGS_URL).content.decode()  # shown once only
    return urlparse(match[1]).path


def strict_lines(body: bytes) -> list[str]:
    """RFC 5545 framing: CRLF line ends, lines of at most 75 octets, UTF-8."""
    assert body.endswith(b"\r\n")
    raw = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in raw)
    assert all(len(line) <= 75 for line in raw), [line for line in raw if len(line) > 75]
    return [line.decode("utf-8") for line in raw]


def test_feed_lists_the_households_paid_bookings_as_valid_icalendar(story, upcoming, parent):
    path = make_feed(parent)
    response = Client().get(path)  # no login: the secret is the key
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = strict_lines(response.content)
    assert raw[0] == "BEGIN:VCALENDAR" and raw[-1] == "END:VCALENDAR"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    events = calendar.walk("VEVENT")
    assert len(events) == len(upcoming)
    by_uid = {str(event["UID"]): event for event in events}
    for paid in upcoming:
        event = by_uid[f"booking-{paid.pk}@127.0.0.1"]
        start = event.decoded("DTSTART")
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Paris"
        assert start.date() == paid.session.date and start.time() == datetime.time(12, 0)
        assert event.decoded("DTEND").time() == datetime.time(13, 30)
        assert str(event["SUMMARY"]) == f"Restauration Scolaire Malves – {paid.child.first_name}"
        assert str(event["LOCATION"]).startswith("École de Malves, 1 place de l'École")
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event.get("DTSTAMP") is not None
    assert "Sofia" not in response.content.decode()
    assert "DTSTART;TZID=Europe/Paris:" in response.content.decode()


def test_uids_stay_the_same_from_one_read_to_the_next(story, upcoming, parent):
    path = make_feed(parent)
    first = {str(e["UID"]) for e in Calendar.from_ical(Client().get(path).content).walk("VEVENT")}
    second = {str(e["UID"]) for e in Calendar.from_ical(Client().get(path).content).walk("VEVENT")}
    assert first == second and len(first) == 3


def test_texts_are_escaped_and_in_the_guardians_language(story, upcoming):
    story.parent.language = "en"
    story.parent.save(update_fields=["language"])
    story.canteen.name = "Cantine; midi, Malves\\A"
    story.canteen.save(update_fields=["name"])
    session = upcoming[0].session
    session.is_open = False
    session.closed_reason = "Grève"
    session.save()
    path = make_feed(client_for(story.parent))
    body = Client().get(path).content
    text = "".join(line[1:] if line.startswith(" ") else "\n" + line for line in strict_lines(body))
    assert "SUMMARY:Cantine\\; midi\\, Malves\\\\A – Emy" in text
    assert "Reserved – PAGES-TEST Emy\\nPrice: €3.70" in text
    events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    closed = events[f"booking-{upcoming[0].pk}@127.0.0.1"]
    assert str(closed["STATUS"]) == "CANCELLED"
    assert "Closed by the service: Grève" in str(closed["DESCRIPTION"])
    assert str(closed["SUMMARY"]) == "Cantine; midi, Malves\\A – Emy"


def test_a_new_address_replaces_the_old_one_and_stopping_ends_it(story, upcoming, parent):
    first = make_feed(parent)
    second = make_feed(parent)
    assert first != second
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert parent.post(SETTINGS_URL, {"action": "delete"}).status_code == 302
    assert Client().get(second).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_unknown_tokens_are_not_found_and_the_secret_is_stored_hashed(story, upcoming, parent):
    path = make_feed(parent)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert token not in feed.token_hash and len(feed.token_hash) == 64
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert Client().get(path.replace(token, altered)).status_code == 404
    for bad in ["x", token[:-2], token + "x", "a" * 300]:
        assert Client().get(f"/calendrier/{bad}.ics").status_code == 404


def test_each_household_sees_only_its_own_days(story, upcoming):
    other = client_for(story.other_parent)
    body = Client().get(make_feed(other)).content.decode()
    assert "Sofia" in body and "Emy" not in body and "Lise" not in body


def test_a_disabled_login_stops_its_feed(story, upcoming, parent):
    path = make_feed(parent)
    story.parent.is_active = False
    story.parent.save(update_fields=["is_active"])
    assert Client().get(path).status_code == 404


def test_reading_the_feed_is_recorded_on_the_settings_page(story, upcoming, parent):
    path = make_feed(parent)
    assert "Aucun agenda ne l'a encore lue." in parent.get(SETTINGS_URL).content.decode()
    Client().get(path)
    assert CalendarFeed.objects.get().last_used_at is not None


def test_settings_need_a_guardian_and_refuse_unknown_actions(story, parent):
    story.staff.set_password(PASSWORD)
    story.staff.save()
    assert client_for(story.staff).get(SETTINGS_URL).status_code == 404
    assert Client().get(SETTINGS_URL).status_code == 302
    response = parent.post(SETTINGS_URL, {"action": "hack"}, follow=True)
    assert "Action inconnue : rien n'a été modifié." in html.unescape(response.content.decode())
    assert not CalendarFeed.objects.exists()
    assert reverse("families:calendar_settings") == SETTINGS_URL
