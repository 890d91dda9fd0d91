"""Each bookable block says what a parent decides on: until when it can be booked (at the
normal price, or late at the late price) or cancelled, and how many places are left when
few are. In the block's text and in its accessible name."""

import datetime

import pytest

from tests.clock import paris
from tests.factories import paid_booking
from tests.world.commune import seed_family
from tests.world.web import text_of

pytestmark = pytest.mark.django_db


def page(client, fam, language="fr") -> str:
    client.cookies["portail_language"] = language
    client.force_login(fam.user)
    response = client.get("/planning/", {"week": fam.week})
    assert response.status_code == 200
    return " ".join(text_of(response.content.decode()).split())


def test_a_free_day_says_until_when_it_can_be_booked(client):
    # Monday 23/11, 12:00; the deadline is 2 working days before at 10:00.
    fam = seed_family()
    text = page(client, fam)
    assert "Réservable jusqu'au jeu 19/11 à 10:00" in text
    assert "Bookable until Thu 19/11 at 10:00" in page(client, fam, "en")


def test_a_booked_day_says_until_when_it_can_be_cancelled(client):
    fam = seed_family()
    tuesday = fam.sessions[fam.days[1]]
    paid_booking(fam.emy, tuesday)
    assert "Annulable jusqu'au ven 20/11 à 10:00" in page(client, fam)


def test_after_the_deadline_it_says_the_late_price_until_the_day_starts(client, time_machine):
    fam = seed_family()
    time_machine.move_to(paris(2026, 11, 20, 12, 0))
    assert "Réservable au prix majoré jusqu'au lun 23/11 à 12:00" in page(client, fam)


def test_few_places_left_are_said_many_are_not(client):
    fam = seed_family()
    thursday = fam.sessions[fam.days[2]]
    thursday.capacity = 4
    thursday.save()
    other = seed_family(names=("Tom",), household_name="DURAND", act=(fam.activity, fam.sessions))
    paid_booking(other.children[0], thursday)
    text = page(client, fam)
    # Emy's and Lise's Thursday, each in its text and in its accessible name.
    assert text.count("Plus que 3 places") == 4
    assert "Emy, jeudi 26 novembre, Restauration Scolaire Malves: Non réservé, 3,70 €, " in text
    assert "Plus que" not in text.replace("Plus que 3 places", "")


def test_one_place_left_is_singular(client):
    fam = seed_family()
    friday = fam.sessions[fam.days[3]]
    friday.capacity = 1
    friday.save()
    assert "Plus qu'une place" in page(client, fam)
    assert "Only 1 place left" in page(client, fam, "en")


def test_a_past_or_closed_day_says_no_deadline(client, time_machine):
    fam = seed_family()
    time_machine.move_to(paris(2026, 11, 24, 15, 0))  # Monday and Tuesday are over
    text = page(client, fam)
    assert "lun 23/11 à" not in text and "mar 24/11 à" not in text
    assert datetime.date(2026, 11, 23) in fam.days


def test_a_past_day_with_its_attendance_says_what_it_was(client, time_machine):
    from portail.reservations.models import Attendance

    fam = seed_family()
    monday, tuesday = fam.sessions[fam.days[0]], fam.sessions[fam.days[1]]
    paid_booking(fam.emy, monday)
    Attendance.objects.create(child=fam.emy, session=monday, present=True)
    Attendance.objects.create(child=fam.children[1], session=monday, present=True)
    Attendance.objects.create(child=fam.emy, session=tuesday, present=False)
    time_machine.move_to(paris(2026, 11, 24, 18, 0))
    text = page(client, fam)
    assert "Réservé et présent" in text
    assert "Présent sans réservation" in text
    assert "Absent" in text
