"""The recap PDF of an enrolment ("Récapitulatif des actions"), read back as text."""

import datetime
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portail.activities.models import Session
from portail.core.pdf.recap import render_recap_pdf
from portail.reservations import history
from portail.reservations.models import ActorKind, Channel, HistoryAction, HistoryEntry
from portail.reservations.recap import enrolment_recap, household_enrolments
from tests.clock import PARIS, paris
from tests.pdftext import find_row, lines, pages
from tests.world.commune import PASSWORD
from tests.world.staff import client_for
from tests.world.story import DAYS, PARENT_EMAIL, Story, record_attendance

pytestmark = pytest.mark.django_db

PARENT = PARENT_EMAIL
STAFF_FR = "Service gestionnaire"
P = "3,70 €"
# The "Option" column: what was booked, the activity.
OPTION = ["Restauration Scolaire Malves"]
ADD, DEL = "Ajout : RESERVATION", "Suppression : RESERVATION"


def row(day: str, not_used: str, who: str, when: str, *action: str) -> list[str]:
    return [day, *OPTION, P, not_used, who, when, *action]


# Emy's rows as the seed's PDF prints them: Jour, Option, Prix, Non utilisé, Qui, Quand,
# Type d'action. Requests never paid: each keeps its "Ajout" row, and its removal follows.
EMY_ROWS_FR = [
    row("03/04/2023", "–", STAFF_FR, "17/03/2023 10:21", ADD, "(Réservation demandée)"),
    row("03/04/2023", "–", STAFF_FR, "17/03/2023 10:24", DEL, "(Panier annulé)"),
    row("03/04/2023", "–", PARENT, "20/03/2023 09:05", ADD),
    row("03/04/2023", "Oui", STAFF_FR, "03/04/2023 14:00", "Fréquentation : ABSENT"),
    row("04/04/2023", "–", STAFF_FR, "17/03/2023 10:21", ADD, "(Réservation demandée)"),
    row("04/04/2023", "–", STAFF_FR, "17/03/2023 10:24", DEL, "(Panier annulé)"),
    row("06/04/2023", "–", STAFF_FR, "17/03/2023 10:21", ADD, "(Réservation demandée)"),
    row("06/04/2023", "–", PARENT, "17/03/2023 10:22", DEL, "(Demande retirée du panier)"),
    row("07/04/2023", "–", STAFF_FR, "17/03/2023 10:21", ADD, "(Réservation demandée)"),
    row("07/04/2023", "–", STAFF_FR, "17/03/2023 10:24", DEL, "(Panier annulé)"),
]


def pdf_url(enrolment) -> str:
    return reverse("families:enrolment_recap_pdf", args=[enrolment.pk])


def test_pdf_has_the_seeds_header_and_every_history_row_in_order(story, parent):
    response = parent.get(pdf_url(story.enrolment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = lines(response.content)
    for words in [
        "Récapitulatif des actions",
        "Nom Prénom",
        "PAGES-TEST Emy",
        "Activité",
        "Restauration Scolaire Malves",
        "École de Malves",
        "Validité de l'inscription",
        "Du 01/09/2022 au 07/07/2023",
    ]:
        assert words in text, words
    header = ["Jour", "Option", "Prix", "Non", "utilisé", "Qui", "Quand", "Type d'action"]
    position = find_row(text, header)
    assert position >= 0
    for row in EMY_ROWS_FR:
        found = find_row(text, row, position + 1)
        assert found > position, row
        position = found
    # Exactly these rows: one line per row starts with a date in the "Jour" column.
    assert sum(1 for line in text if line in {r[0] for r in EMY_ROWS_FR}) == len(EMY_ROWS_FR)
    # Another household's action on the same day never shows.
    assert "martin@example.org" not in " ".join(text)


def test_pdf_names_the_organisation_the_day_it_was_made_and_the_pages(story, parent):
    text = pages(parent.get(pdf_url(story.enrolment)).content)
    assert len(text) == 1
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Carcassonne Agglo – édité le {today}" in text[0]
    assert "Page 1 / 1" in text[0]


def test_pdf_is_in_english_for_a_guardian_who_chose_english(story):
    story.parent.language = "en"
    story.parent.save(update_fields=["language"])
    text = lines(client_for(story.parent).get(pdf_url(story.enrolment)).content)
    for words in [
        "Summary of actions",
        "From 01/09/2022 to 07/07/2023",
        "Type of action",
        "(Reservation requested)",
        "Not used",
    ]:
        assert words in text, words
    staff = "Management service"
    for cells in [
        ["03/04/2023", *OPTION, "€3.70", "–", staff, "17/03/2023 10:21", "Added: RESERVATION"],
        ["03/04/2023", *OPTION, "€3.70", "Yes", staff, "03/04/2023 14:00", "Attendance: ABSENT"],
        ["06/04/2023", *OPTION, "€3.70", "–", PARENT, "17/03/2023 10:22", "Removed: RESERVATION"],
    ]:
        assert find_row(text, cells) >= 0, (cells, text)
    # The parent's request of 20 March waits for its basket to be validated.
    words = " ".join(text)
    waiting = "Added: RESERVATION (Reservation requested: basket not validated yet)"
    assert f"{PARENT} 20/03/2023 09:05 {waiting}" in words, words
    assert "Récapitulatif des actions" not in text


def test_pdf_shows_attendance_present_and_actions_by_the_portal(story, parent):
    day = DAYS[1]
    at = paris(2023, 4, 4, 13, 45)
    record_attendance(story.emy, story.sessions[day], story.staff, present=True, at=at)
    history.record(
        child=story.emy,
        session=story.sessions[DAYS[3]],
        action=HistoryAction.REMOVE_RESERVATION,
        actor=None,
        channel=Channel.SYSTEM,
        price_cents=None,
        at=paris(2023, 4, 5, 8, 0),
    )
    text = lines(parent.get(pdf_url(story.enrolment)).content)
    present = ["04/04/2023", *OPTION, "3,70 €", "Non", STAFF_FR, "04/04/2023 13:45"]
    assert find_row(text, [*present, "Fréquentation : PRESENT"]) >= 0
    automatic = ["07/04/2023", *OPTION, "–", "–", "Automatique (portail)"]
    assert find_row(text, [*automatic, "05/04/2023 08:00", "Suppression : RESERVATION"]) >= 0


def test_a_household_never_opens_another_households_pdf(story):
    other = client_for(story.other_parent)
    assert other.get(pdf_url(story.enrolment)).status_code == 404
    assert other.get(pdf_url(story.other_enrolment)).status_code == 200
    assert client_for(story.parent).get(pdf_url(story.other_enrolment)).status_code == 404
    assert client_for(story.parent).get("/inscriptions/999999/recapitulatif.pdf").status_code == 404


def test_staff_without_household_and_anonymous_visitors_get_no_pdf(story):
    story.staff.set_password(PASSWORD)
    story.staff.save()
    assert client_for(story.staff).get(pdf_url(story.enrolment)).status_code == 404
    response = Client().get(pdf_url(story.enrolment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_each_enrolment_has_its_own_recap(story, parent):
    """Lise's recap (no action yet) says so and holds none of Emy's rows."""
    text = lines(parent.get(pdf_url(story.lise_enrolment)).content)
    assert "PAGES-TEST Lise" in text
    assert "Aucune action n'a encore été enregistrée pour cette inscription." in text
    assert "03/04/2023" not in text


def school_year(story: Story) -> int:
    """A whole school year for Emy: every canteen day booked by the parent, a third of them
    cancelled by staff, and attendance recorded on each. Returns the number of rows."""
    start, end = datetime.date(2022, 9, 1), datetime.date(2023, 7, 7)
    days = []
    day = start
    while day <= end:
        if day.weekday() in (0, 1, 3, 4) and day not in DAYS:
            days.append(day)
        day += datetime.timedelta(days=1)
    Session.objects.bulk_create(Session(activity=story.canteen, date=d, capacity=50) for d in days)
    sessions = Session.objects.filter(activity=story.canteen, date__in=days)
    entries = []
    for index, session in enumerate(sessions):
        booked = datetime.datetime.combine(
            session.date - datetime.timedelta(days=10), datetime.time(20, 15), PARIS
        )
        entries.append(
            history.entry_for(
                child=story.emy,
                session=session,
                action=HistoryAction.ADD_RESERVATION,
                actor=story.parent,
                channel=Channel.TYPICAL_WEEK,
                price_cents=370,
                at=booked,
            )
        )
        if index % 3 == 0:
            entries.append(
                history.entry_for(
                    child=story.emy,
                    session=session,
                    action=HistoryAction.REMOVE_RESERVATION,
                    actor=story.staff,
                    channel=Channel.BACKOFFICE,
                    price_cents=370,
                    at=booked + datetime.timedelta(days=2),
                )
            )
        else:
            entries.append(
                history.entry_for(
                    child=story.emy,
                    session=session,
                    action=HistoryAction.ATTENDANCE_PRESENT,
                    actor=story.staff,
                    channel=Channel.BACKOFFICE,
                    price_cents=370,
                    at=booked + datetime.timedelta(days=10, hours=-6),
                )
            )
    history.record_many(entries)
    return HistoryEntry.objects.filter(child=story.emy).count()


def test_a_whole_school_year_spans_pages_with_the_header_and_page_numbers_on_each(story, parent):
    rows = school_year(story)
    assert rows > 300
    response = parent.get(pdf_url(story.enrolment))
    text = pages(response.content)
    total = len(text)
    assert total >= 4
    for number, page in enumerate(text, start=1):
        page_lines = [line.strip() for line in page.splitlines()]
        header = ["Réservation", "Absence", "Action", "Jour", "Option", "Prix", "Non"]
        assert find_row(page_lines, header) >= 0, number
        assert f"Page {number} / {total}" in page
        assert "Carcassonne Agglo – édité le" in page
        if number > 1:
            assert "PAGES-TEST Emy – Restauration Scolaire Malves" in page
    all_lines = lines(response.content)
    day_lines = [line for line in all_lines if len(line) == 10 and line[2] == "/"]
    assert len(day_lines) == rows
    # Each row's "Option", and the activity of the identity table.
    assert all_lines.count("Restauration Scolaire Malves") == rows + 1
    present = HistoryEntry.objects.filter(
        child=story.emy, action=HistoryAction.ATTENDANCE_PRESENT
    ).count()
    assert all_lines.count("Non") == present + total  # the rows, and each page's header
    guardian_rows = HistoryEntry.objects.filter(child=story.emy, actor_kind=ActorKind.GUARDIAN)
    assert all_lines.count(PARENT) == guardian_rows.count()


def test_a_whole_school_year_is_made_quickly(story):
    """The bench measures it (aim: 100 ms); here only a generous bound, for slow machines."""
    school_year(story)
    enrolment = household_enrolments(story.household.pk).get(pk=story.enrolment.pk)
    render_recap_pdf(enrolment_recap(enrolment), organisation_name="X", language="fr")
    started = time.perf_counter()
    render_recap_pdf(enrolment_recap(enrolment), organisation_name="X", language="fr")
    assert time.perf_counter() - started < 2.0


def test_history_page_shows_the_same_rows(story, parent):
    url = reverse("families:enrolment_history", args=[story.enrolment.pk])
    page = parent.get(url).content.decode()
    assert "Récapitulatif des actions" in page
    assert "Du 01/09/2022 au 07/07/2023" in page
    assert page.count("Fréquentation : ABSENT") == 1
    assert page.count("<tr>") == len(EMY_ROWS_FR) + 2  # two header rows
    assert page.count("<td>Restauration Scolaire Malves</td>") == len(EMY_ROWS_FR)
    assert pdf_url(story.enrolment) in page
    assert "martin@example.org" not in page
    assert client_for(story.other_parent).get(url).status_code == 404
