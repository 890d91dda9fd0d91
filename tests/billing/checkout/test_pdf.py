"""“Télécharger le détail des réservations / des annulations en PDF”, read back with pypdf.

As in the seed: status PRE-RESERVATION or ANNULATION, activity, child, date, time,
quantity, price, total, and "Montant total de la réservation" / "de l'annulation", with
French money ("14,80 €") and dates ("30/03/2023").
"""

import pytest

from tests.factories import paid_booking
from tests.pdftext import text as pdf_text
from tests.world.commune import seed_days, seed_family
from tests.world.web import fr, text_of

from .test_basket_page import submit

pytestmark = pytest.mark.django_db


def test_reservations_pdf_in_french(client):
    fam = seed_family()
    submit(client, fam, add=seed_days(fam))
    response = client.get("/panier/detail.pdf?kind=reservations")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "-reservations.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert fr("Details of the reservations") in text
    assert text.count("PRE-RESERVATION") == 4
    assert "ANNULATION" not in text
    assert "PAGES-TEST Emy" in text and "PAGES-TEST Lise" in text
    assert "Restauration Scolaire Malves" in text
    for day in fam.days[2:]:
        assert day.strftime("%d/%m/%Y") in text
    assert "12:00" in text
    assert text.count("3,70 €") == 8  # price and total of 4 lines
    assert fr("Total amount of the reservation: %(amount)s", amount="14,80 €") in text
    assert fr("Total amount of the reservation: %(amount)s", amount="") == (
        "Montant total de la réservation : "
    )
    for header in ("Status", "Activity", "Child", "Date", "Time", "Quantity", "Price", "Total"):
        assert fr(header) in text


def test_cancellations_pdf_in_french(client):
    fam = seed_family()
    for day in fam.days[2:]:
        paid_booking(fam.emy, fam.sessions[day])
    # A mixed basket: two cancellations of Emy's days, one day for Lise.
    submit(
        client,
        fam,
        add=[(fam.children[1], fam.sessions[fam.days[0]])],
        cancel=[(fam.emy, fam.sessions[day]) for day in fam.days[2:]],
    )
    page = client.get("/panier/").content.decode()
    assert "?kind=cancellations" in page and "?kind=reservations" in page
    assert fr("Download the details of the cancellations (PDF)") in text_of(page)
    text = pdf_text(client.get("/panier/detail.pdf?kind=cancellations").content)
    assert fr("Details of the cancellations") in text
    assert text.count("ANNULATION") == 2
    assert "PRE-RESERVATION" not in text and "PAGES-TEST Lise" not in text
    assert text.count("-3,70 €") == 2  # each line's total: -1 x 3,70 €
    assert " -1 " in f" {text} "
    assert fr("Total amount of the cancellation: %(amount)s", amount="7,40 €") in text
    assert fr("Total amount of the cancellation: %(amount)s", amount="") == (
        "Montant total de l'annulation : "
    )
    # The whole basket when no kind is asked.
    whole = pdf_text(client.get("/panier/detail.pdf").content)
    assert whole.count("ANNULATION") == 2 and whole.count("PRE-RESERVATION") == 1


def test_reservations_pdf_in_english(client):
    fam = seed_family()
    fam.user.language = "en"
    fam.user.save()
    submit(client, fam, add=seed_days(fam))
    client.cookies["portail_language"] = "en"
    text = pdf_text(client.get("/panier/detail.pdf?kind=reservations").content)
    assert "Total amount of the reservation: €14.80" in text
    assert fam.days[2].strftime("%d/%m/%Y") in text


@pytest.mark.parametrize("kind", ["all", "annulations", "<x>"])
def test_an_unknown_kind_is_refused_clearly(client, kind):
    fam = seed_family()
    submit(client, fam, add=seed_days(fam))
    response = client.get(f"/panier/detail.pdf?kind={kind}", follow=True)
    assert fr("This download does not exist.") in text_of(response.content.decode())


def test_a_kind_without_lines_sends_back_to_the_basket(client):
    fam = seed_family()
    submit(client, fam, add=seed_days(fam))
    response = client.get("/panier/detail.pdf?kind=cancellations")
    assert (response.status_code, response["Location"]) == (302, "/panier/")


def test_the_whole_basket_s_pdf_says_the_credit_applied_and_what_is_due(client):
    from tests import factories

    factories.organisation(name="Carcassonne Agglo", address="Hôtel de Ville\n11000 Carcassonne")
    fam = seed_family()
    monday = fam.sessions[fam.days[0]]
    paid_booking(fam.emy, monday)
    # Cancel Emy's Monday (3,70 of credit) and book Lise's Thursday and Friday (7,40).
    submit(client, fam, add=seed_days(fam)[1::2], cancel=[(fam.emy, monday)])
    text = " ".join(pdf_text(client.get("/panier/detail.pdf").content).split())
    assert "Carcassonne Agglo Hôtel de Ville 11000 Carcassonne" in text
    assert "Avoir appliqué : 3,70 €" in text
    assert "Montant à payer : 3,70 €" in text
    # Only the whole basket's PDF says it (a kind's PDF shows those lines' total).
    part = " ".join(pdf_text(client.get("/panier/detail.pdf?kind=reservations").content).split())
    assert "Avoir appliqué" not in part and "Montant à payer" not in part
