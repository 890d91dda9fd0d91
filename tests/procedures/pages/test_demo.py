"""The demo household's démarches: varied statuses at once, loaded again without
duplicates, the home page's blocks counting them."""

import pytest
from django.test import Client

from portail.demo.builder import build_demo
from portail.procedures.models import Request

from .helpers import page

pytestmark = pytest.mark.django_db

STATUSES = {
    "contact": "draft",
    "address_change": "submitted",
    "qf_declaration": "accepted",
    "family_file": "needs_info",
    "early_childhood": "waiting_list",
}


def demo_requests() -> dict:
    rows = Request.objects.filter(household__name="PAGES-TEST").select_related("procedure")
    return {r.procedure.code: r.status for r in rows}


def test_the_demo_household_has_requests_in_varied_statuses_once():
    build_demo()
    assert demo_requests() == STATUSES
    numbers = set(Request.objects.values_list("number", flat=True))
    build_demo()
    assert demo_requests() == STATUSES
    assert set(Request.objects.values_list("number", flat=True)) == numbers


def test_the_demo_home_page_shows_the_blocks_with_their_counts():
    build_demo()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(email="parent@example.org", password="parent-demo")
    text = page(client.get("/"))
    assert "My procedures in progress (2)" in text
    assert "Status of my procedures (2)" in text
    assert "Early childhood enrolments (1)" in text
    assert "MISE A JOUR DOSSIER UNIQUE D'INSCRIPTION AL, ALAE" in text
    # The demo's recent documents stay on top of "Mes documents".
    assert "Lien d'activation du mot de passe" in text
