"""The home page ("Accueil"): the seed's blocks, the household's own data only."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from portail.demo.builder import build_demo
from portail.families.models import Document
from tests import factories

pytestmark = pytest.mark.django_db

SEED_BLOCKS_FR = [
    "Réservations",
    "Payer ma facture",
    "Aucune facture impayée n'est à montrer.",
    "Mes données personnelles",
    "Démarche(s) disponible(s)",
    "Mes démarches en cours",
    "CONTACTER UN SERVICE",
    "MISE A JOUR DOSSIER UNIQUE D'INSCRIPTION AL, ALAE",
    "DECLARER UN CHANGEMENT D'ADRESSE",
    "QUOTIENT FAMILIAL - DECLARATION REVENUS",
    "Mes documents",
    "Lien d'activation du mot de passe",
    "Inscriptions périscolaires",
    "Inscriptions Petite Enfance",
    "Chers parents,",
    "Bienvenue sur votre nouveau Portail Famille.",
    "Guide Portail Famille",
]


@pytest.fixture
def demo():
    return build_demo()


@pytest.fixture
def parent_client(demo) -> Client:
    client = Client()
    assert client.login(email="parent@example.org", password="parent-demo")
    return client


def text(response) -> str:
    """The page as the browser shows it (apostrophes unescaped), for word checks."""
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_anonymous_visitor_is_sent_to_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_demo_parent_sees_the_seeds_blocks_in_french(parent_client):
    page = text(parent_client.get("/"))
    for words in SEED_BLOCKS_FR:
        assert words in page, words
    assert '<html lang="fr">' in page


def test_demo_parent_sees_emy_and_lise_and_their_enrolments(parent_client, demo):
    page = text(parent_client.get("/"))
    assert "PAGES-TEST Emy" in page
    assert "PAGES-TEST Lise" in page
    assert "Restauration Scolaire Malves" in page
    validity = f"Du {demo.school_year_start:%d/%m/%Y} au {demo.school_year_end:%d/%m/%Y}"
    assert validity in page
    assert "parent@example.org" in page
    assert "12 rue de la Mairie" in page


def test_home_page_is_in_english_with_the_language_cookie(parent_client):
    parent_client.cookies["portail_language"] = "en"
    page = text(parent_client.get("/"))
    assert '<html lang="en">' in page
    for words in ["Reservations", "Pay my invoice", "No unpaid invoice to show.", "My documents"]:
        assert words in page, words
    assert "Payer ma facture" not in page


def test_home_page_follows_the_browsers_accept_language(parent_client):
    page = text(parent_client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9"))
    assert "Early childhood enrolments" in page
    assert "INSCRIPTIONS PETITE ENFANCE" in page  # the demo's request on the waiting list


def test_home_page_shows_only_the_households_own_data(parent_client):
    page = text(parent_client.get("/"))
    for other in ["MARTIN", "GARCIA", "Sofia", "famille.martin@example.org"]:
        assert other not in page


def test_documents_are_listed_with_their_date_and_open_on_their_page(parent_client):
    document = Document.objects.filter(household__name="PAGES-TEST").order_by("-created_at")[0]
    page = text(parent_client.get("/"))
    assert document.title in page
    assert reverse("families:document", args=[document.pk]) in page
    from django.utils import timezone

    assert timezone.localtime(document.created_at).strftime("%d/%m/%Y %H:%M") in page
    detail = text(parent_client.get(reverse("families:document", args=[document.pk])))
    assert document.title in detail
    assert document.body.splitlines()[0] in detail


def test_a_guardian_cannot_open_another_households_document(parent_client):
    other = factories.household(name="AUTRE")
    secret = Document.objects.create(
        household=other, kind=Document.Kind.MESSAGE, title="Privé", body="Texte privé"
    )
    response = parent_client.get(reverse("families:document", args=[secret.pk]))
    assert response.status_code == 404
    assert "Texte privé" not in text(parent_client.get(reverse("families:documents")))


def test_a_login_link_is_shown_only_to_its_recipient():
    household = factories.household()
    factories.guardian(household, email="a@example.org", password="pass-a-123456")
    factories.guardian(household, email="b@example.org", password="pass-b-123456")
    link = Document.objects.create(
        household=household,
        kind=Document.Kind.PASSWORD_RESET,
        title="Réinitialisation",
        recipient="a@example.org",
        body="https://portail.example.org/compte/reset/SECRET/",
    )
    url = reverse("families:document", args=[link.pk])
    client_a, client_b = Client(), Client()
    assert client_a.login(email="a@example.org", password="pass-a-123456")
    assert client_b.login(email="b@example.org", password="pass-b-123456")
    assert "SECRET" in text(client_a.get(url))
    response = client_b.get(url)
    assert response.status_code == 200
    assert "SECRET" not in text(response)


def test_no_documents_says_no_data_found():
    guardian = factories.guardian(email="seul@example.org", password="pass-seul-123")
    client = Client()
    assert client.login(email="seul@example.org", password="pass-seul-123")
    page = text(client.get("/"))
    assert "Aucune donnée trouvée" in page
    assert guardian.household.name in page


def test_staff_without_a_household_sees_the_staff_landing():
    factories.staff(email="agent@example.org", password="staff-pass-123")
    client = Client()
    assert client.login(email="agent@example.org", password="staff-pass-123")
    response = client.get("/")
    assert response.status_code == 200
    assert "families/staff_home.html" in [t.name for t in response.templates]
    assert reverse("admin:index") in text(response)


def test_a_login_without_household_is_told_to_ask_the_service():
    factories.staff(email="perdu@example.org", password="pass-perdu-123", is_staff=False)
    client = Client()
    assert client.login(email="perdu@example.org", password="pass-perdu-123")
    response = client.get("/")
    assert "families/no_household.html" in [t.name for t in response.templates]
    assert client.get(reverse("families:documents")).status_code == 404


def _household_with_children(count: int, email: str) -> None:
    activity = factories.activity()
    second = factories.activity(activity.site)
    household = factories.household()
    factories.guardian(household, email=email, password="pass-count-123")
    for number in range(count):
        child = factories.child(household)
        factories.enrolment(child, activity)
        factories.enrolment(child, second, valid_to=datetime.date(2099, 1, 1))
        Document.objects.create(
            household=household, kind=Document.Kind.MESSAGE, title=f"Message {number}"
        )


def _home_queries(email: str) -> int:
    client = Client()
    assert client.login(email=email, password="pass-count-123")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_home_page_query_count_does_not_grow_with_children():
    factories.organisation()
    _household_with_children(1, "one@example.org")
    _household_with_children(4, "four@example.org")
    assert _home_queries("one@example.org") == _home_queries("four@example.org")


def test_reservations_block_links_to_the_planning(parent_client):
    try:
        planning_url = reverse("reservations:planning")
    except NoReverseMatch:
        pytest.skip("the planning page is not registered in this build")
    assert f'href="{planning_url}"' in text(parent_client.get("/"))


def test_enrolments_block_opens_each_enrolments_recap_pdf(parent_client):
    """One entry per child and enrolment: child, activity, site, validity, its PDF."""
    from portail.activities.models import Enrolment

    page = text(parent_client.get("/"))
    enrolments = Enrolment.objects.filter(child__household__name="PAGES-TEST").select_related(
        "activity__site"
    )
    assert enrolments
    for enrolment in enrolments:
        assert reverse("families:enrolment_recap_pdf", args=[enrolment.pk]) in page
        assert reverse("families:enrolment_history", args=[enrolment.pk]) in page
        assert enrolment.activity.site.name in page
    response = parent_client.get(reverse("families:enrolment_recap_pdf", args=[enrolments[0].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_personal_data_block_links_to_the_personal_data_page(parent_client):
    assert f'href="{reverse("families:personal_data")}"' in text(parent_client.get("/"))
