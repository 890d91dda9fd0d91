"""The footer's pages a French public site must have: on every page, public, in the
visitor's language, their texts edited by staff, and `check --deploy` saying which parts
the city has not filled in yet."""

from html import unescape

import pytest
from django.core.management import call_command
from django.test import Client

from portail.core.legal import ensure_legal_pages, pages_to_fill
from portail.core.models import LegalPage
from tests import factories
from tests.world.web import text_of

pytestmark = pytest.mark.django_db

PAGES = {
    "/mentions-legales/": ("Mentions légales", "Legal notice"),
    "/donnees-personnelles/": ("Données personnelles", "Personal data"),
    "/accessibilite/": ("Déclaration d'accessibilité", "Accessibility statement"),
    "/charte-d-utilisation/": ("Charte d'utilisation", "Terms of use"),
    "/navigateurs-supportes/": ("Navigateurs supportés", "Supported browsers"),
}


@pytest.fixture(autouse=True)
def _pages():
    ensure_legal_pages()


@pytest.mark.parametrize("address", PAGES)
def test_each_page_is_public_in_french_and_english(client, address):
    factories.organisation(name="Carcassonne Agglo", address="Hôtel de Ville\n11000 Carcassonne")
    response = client.get(address)
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert f"<h1>{PAGES[address][0]}</h1>" in unescape(response.content.decode())
    assert "Carcassonne Agglo" in text and "11000 Carcassonne" in text
    english = Client()
    english.cookies["portail_language"] = "en"
    assert f"<h1>{PAGES[address][1]}</h1>" in unescape(english.get(address).content.decode())


def test_the_footer_links_them_on_every_page(client):
    for page in ("/compte/connexion/", "/aide/", "/tarifs/"):
        html = client.get(page).content.decode()
        for address in PAGES:
            assert f'href="{address}"' in html
        assert "Accessibilité : partiellement conforme" in text_of(html)
        assert 'rel="icon"' in html


def test_the_accessibility_statement_says_its_status_and_the_remedies(client):
    text = text_of(client.get("/accessibilite/").content.decode())
    assert "partiellement conforme" in text and "RGAA" in text
    assert "Défenseur des droits" in text


def test_staff_edit_a_text_in_the_admin_and_families_read_it(client):
    admin = factories.staff(is_superuser=True)
    page = LegalPage.objects.get(kind="legal_notice", language="fr")
    staff_client = Client()
    staff_client.force_login(admin)
    response = staff_client.post(
        f"/admin/core/legalpage/{page.pk}/change/",
        {"title": "Mentions légales", "body": "Directeur de la publication : M. le Maire."},
    )
    assert response.status_code == 302
    assert "Directeur de la publication : M. le Maire." in text_of(
        client.get("/mentions-legales/").content.decode()
    )


def test_a_page_missing_in_english_is_shown_in_french():
    LegalPage.objects.filter(kind="terms", language="en").delete()
    english = Client()
    english.cookies["portail_language"] = "en"
    page = unescape(english.get("/charte-d-utilisation/").content.decode())
    assert "<h1>Charte d'utilisation</h1>" in page


def test_check_deploy_names_the_pages_still_to_fill_in(capsys):
    assert {(p.kind, p.language) for p in pages_to_fill()} >= {
        ("legal_notice", "fr"),
        ("personal_data", "en"),
    }
    from portail.core.checks import check_legal_pages_filled

    [warning] = check_legal_pages_filled()
    assert warning.id == "core.W001" and "Mentions légales (fr)" in warning.msg
    for page in LegalPage.objects.all():
        page.body = "Texte complet."
        page.save()
    assert check_legal_pages_filled() == []
    call_command("check", "--deploy", "--fail-level", "ERROR")
