"""The recap PDF has one row per event a parent cares about: a reservation asked and paid
is one "Ajout : RESERVATION" row (never one for the request and one for its payment), a
cancellation validated is one row with its credit, and the day's attendance is one row,
an absence ticking the "Non utilisé" column. The "Option" column names what was booked."""

import pytest
from django.urls import reverse

from tests.pdftext import find_row, lines
from tests.recap.events_story import CANTEEN
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

ADD, DEL = "Ajout : RESERVATION", "Suppression : RESERVATION"
STAFF = "Service gestionnaire"
P = "3,70 €"


def recap_lines(week, language: str) -> list[str]:
    user = week.world.user
    user.language = language
    user.save(update_fields=["language"])
    url = reverse("families:enrolment_recap_pdf", args=[week.enrolment.pk])
    response = client_for(user).get(url)
    assert response.status_code == 200
    return lines(response.content)


def test_each_event_is_one_row_in_french(week):
    text = recap_lines(week, "fr")
    parent = week.world.user.email
    # The seed's two header rows: the groups, then the columns ("Non utilisé" wraps).
    header = ["Réservation", "Absence", "Action", "Jour", "Option", "Prix", "Non", "utilisé"]
    position = find_row(text, [*header, "Qui", "Quand", "Type d'action"])
    assert position >= 0, text
    expected = [
        ["07/12/2026", CANTEEN, P, "–", parent, "01/12/2026 09:00", ADD],
        ["07/12/2026", CANTEEN, P, "Oui", STAFF, "07/12/2026 14:00", "Fréquentation : ABSENT"],
        ["08/12/2026", CANTEEN, P, "–", parent, "01/12/2026 09:00", ADD],
        ["08/12/2026", CANTEEN, P, "Non", STAFF, "08/12/2026 14:00", "Fréquentation : PRESENT"],
        ["10/12/2026", CANTEEN, P, "–", parent, "01/12/2026 09:00", ADD],
        ["10/12/2026", CANTEEN, P, "–", parent, "01/12/2026 10:00", DEL],
    ]
    for row in expected:
        found = find_row(text, row, position + 1)
        assert found > position, (row, text)
        position = found
    # Asked at 09:00 and paid at 09:03: one "Ajout" row per day, not two.
    assert text.count(ADD) == 3
    assert text.count(DEL) == 1
    assert sum(1 for line in text if line in {"07/12/2026", "08/12/2026", "10/12/2026"}) == 6
    # The cancellation says it was validated and credited (its words wrap in the cell);
    # the other household never shows.
    words = " ".join(text)
    assert f"10:00 {DEL} (Annulation validée : prix porté en avoir)" in words, words
    assert "Site web" not in text
    assert week.other_parent.email not in " ".join(text)


def test_each_event_is_one_row_in_english_with_payment_and_credit(week):
    text = recap_lines(week, "en")
    parent = week.world.user.email
    header = ["Reservation", "Absence", "Action", "Day", "Option", "Price", "Not used", "Who"]
    assert find_row(text, [*header, "When", "Type of action"]) >= 0, text
    monday = ["07/12/2026", CANTEEN, "€3.70", "–", parent, "01/12/2026 09:00"]
    assert find_row(text, [*monday, "Added: RESERVATION"]) >= 0, text
    # Asked at 09:00, paid at 09:03: the row says both (its words wrap in the cell).
    words = " ".join(text)
    paid = "Added: RESERVATION (Paid online on 01/12/2026 at 09:03)"
    assert words.count(paid) == 3, words
    assert text.count("Added: RESERVATION") == 3
    absent = ["07/12/2026", CANTEEN, "€3.70", "Yes", "Management service", "07/12/2026 14:00"]
    assert find_row(text, [*absent, "Attendance: ABSENT"]) >= 0, text
    present = ["08/12/2026", CANTEEN, "€3.70", "No", "Management service", "08/12/2026 14:00"]
    assert find_row(text, [*present, "Attendance: PRESENT"]) >= 0, text
    cancelled = ["10/12/2026", CANTEEN, "€3.70", "–", parent, "01/12/2026 10:00"]
    assert find_row(text, [*cancelled, "Removed: RESERVATION"]) >= 0, text
    credited = "Removed: RESERVATION (Cancellation validated: price credited) Credit: €3.70"
    assert credited in words, words


def test_another_households_enrolment_is_not_found(week):
    url = reverse("families:enrolment_recap_pdf", args=[week.other_enrolment.pk])
    assert client_for(week.world.user).get(url).status_code == 404
    page = reverse("families:enrolment_history", args=[week.other_enrolment.pk])
    assert client_for(week.world.user).get(page).status_code == 404
