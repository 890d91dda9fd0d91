"""The portal guide (/aide/): public, the seed's words, the full colour legend."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portail.demo.builder import build_demo
from portail.reservations.legend import BILLING_LEGEND

pytestmark = pytest.mark.django_db

LEGEND_FR = [
    "Non réservé",
    "Complet",
    "Demande de réservation",
    "Réservé",  # the seed's "Réservé(e)" before var/fr-pastdays-fixes.json
    "Annulation demandée",
    "Annuler la modification",
    "Non utilisé",
    "Aucune réservation n'est requise",
    "Prix majoré (réservation hors délais)",
    "Fréquentation déjà saisie",
    "Fermé",
    "Non inscrit",
    "Verrouillé",
]
STATE_CODES = [
    "not_reserved",
    "full",
    "requested",
    "reserved",
    "cancel_requested",
    "not_used",
    "no_reservation_required",
    "late",
    "attendance_recorded",
    "closed",
    "not_enrolled",
    "locked",
]


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_guide_is_public_and_linked_from_the_home_page():
    assert reverse("core:help") == "/aide/"
    assert Client().get("/aide/").status_code == 200


def test_guide_names_the_buttons_and_basket_lines_in_the_seeds_words():
    page = text(Client().get("/aide/"))
    for words in [
        "Guide Portail Famille",
        "SOUMETTRE",
        "REINITIALISER",
        "AIDE",
        "PRE-RESERVATION",
        "ANNULATION",
        "PayFiP",
        "avoir",
    ]:
        assert words in page, words


def test_guide_has_the_whole_colour_legend_in_words():
    page = text(Client().get("/aide/"))
    for name in LEGEND_FR:
        assert name in page, name
    assert "* Fréquentation déjà saisie" in page.replace('<span aria-hidden="true">* </span>', "* ")
    for code in STATE_CODES:
        assert f'class="state state--{code}"' in page, code


def test_guide_lists_each_activitys_deadlines():
    build_demo()
    page = text(Client().get("/aide/"))
    assert "Restauration Scolaire Malves" in page
    assert "10:00" in page
    assert "3,70" in page


def test_guide_in_english():
    client = Client()
    client.cookies["portail_language"] = "en"
    page = text(client.get("/aide/"))
    assert "Family portal guide" in page
    assert "Colour legend" in page


def test_guide_says_how_invoices_work_and_what_the_billing_notes_mean():
    page = text(Client().get("/aide/"))
    with translation.override("fr"):
        assert _("8. Invoices (Payer ma facture)") in page
        for entry in BILLING_LEGEND:
            assert str(entry.label) in page and str(entry.meaning) in page
