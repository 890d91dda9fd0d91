""" "Mes données personnelles": what the service knows, and what a guardian changes alone."""

import datetime
import html
import re
from urllib.parse import urlparse

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from portail.accounts.models import User
from portail.families import email_change
from portail.families.models import Document, Guardian
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
PAGE = "/mes-donnees/"
EMAIL_PAGE = "/mes-donnees/adresse-electronique/"
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def family(db):
    org = factories.organisation(
        name="Carcassonne Agglo",
        contact_email="portail@agglo.example",
        contact_phone="04 68 10 56 00",
    )
    household = factories.household(
        name="PAGES-TEST",
        address="12 rue de la Mairie",
        postal_code="11600",
        city="Malves",
        quotient_familial=820,
        qf_valid_from=datetime.date(2000, 1, 1),
        qf_valid_to=datetime.date(2100, 1, 1),
    )
    parent = factories.guardian(
        household, email="edwige@example.org", first_name="Edwige", last_name="PAGES"
    )
    other_parent = factories.guardian(household, email="marc@example.org", first_name="Marc")
    emy = factories.child(household, first_name="Emy", last_name="PAGES-TEST", special_diet="")
    canteen = factories.activity(factories.site(org, name="École de Malves"), name="Cantine")
    enrolment = factories.enrolment(emy, canteen)
    stranger = factories.guardian(email="martin@example.org")
    factories.child(stranger.household, first_name="Sofia")
    return {
        "household": household,
        "parent": parent,
        "other_parent": other_parent,
        "enrolment": enrolment,
        "stranger": stranger,
    }


def client_for(email: str, password: str = PASSWORD) -> Client:
    client = Client()
    assert client.login(email=email, password=password)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_page_shows_the_household_guardians_children_and_whom_to_ask(family):
    page = text(client_for("edwige@example.org").get(PAGE))
    for words in [
        "Mes données personnelles",
        "12 rue de la Mairie",
        "11600 Malves",
        "820",
        "edwige@example.org",
        "marc@example.org",
        "PAGES-TEST Emy",
        "Cantine (École de Malves)",
        "portail@agglo.example",
        "04 68 10 56 00",
    ]:
        assert words in page, words
    assert reverse("families:enrolment_recap_pdf", args=[family["enrolment"].pk]) in page
    for link in ["email_change", "phone_change", "password_change", "calendar_settings"]:
        assert reverse(f"families:{link}") in page
    assert "martin@example.org" not in page
    assert "Sofia" not in page


def test_staff_see_their_login_only(family):
    factories.staff(email="agent@example.org", password=PASSWORD)
    client = client_for("agent@example.org")
    page = text(client.get(PAGE))
    assert "agent@example.org" in page
    assert reverse("families:password_change") in page
    assert reverse("families:phone_change") not in page
    assert client.get(reverse("families:phone_change")).status_code == 404


def test_anonymous_visitors_are_sent_to_login(family):
    for url in [PAGE, EMAIL_PAGE, reverse("families:phone_change"), "/mes-donnees/mot-de-passe/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- e-mail ---------------------------------------------------------------------------


def ask_change(client: Client, new_email: str, password: str = PASSWORD):
    return client.post(EMAIL_PAGE, {"new_email": new_email, "password": password})


def confirmation_path() -> str:
    links = LINK.findall(mail.outbox[-1].body)
    assert len(links) == 1
    return urlparse(links[0]).path


def test_changing_the_email_waits_for_the_link_sent_to_the_new_address(family):
    client = client_for("edwige@example.org")
    response = ask_change(client, "Edwige.New@Example.org")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["edwige.new@example.org"]]
    assert User.objects.get(pk=family["parent"].user.pk).email == "edwige@example.org"
    kept = Document.objects.get(kind=Document.Kind.EMAIL_CHANGE)
    assert kept.recipient == "edwige.new@example.org"
    assert "/confirmer/" not in kept.body  # the live link is not kept

    path = confirmation_path()
    done = Client().get(path)  # opened on another device, not logged in
    assert done.status_code == 200
    assert "edwige.new@example.org" in text(done)
    user = User.objects.get(pk=family["parent"].user.pk)
    assert user.email == "edwige.new@example.org"
    notice = mail.outbox[-1]
    assert notice.to == ["edwige@example.org"]
    assert "edwige.new@example.org" in notice.body
    assert "portail@agglo.example" in notice.body
    assert Client().login(email="edwige.new@example.org", password=PASSWORD)
    assert not Client().login(email="edwige@example.org", password=PASSWORD)

    again = Client().get(path)
    assert again.status_code == 400
    assert "déjà été utilisé" in text(again)


def test_a_wrong_password_or_a_taken_address_changes_nothing(family):
    client = client_for("edwige@example.org")
    response = ask_change(client, "new@example.org", password="wrong-password")
    assert response.status_code == 200
    assert "Le mot de passe n'est pas correct." in text(response)
    response = ask_change(client, "MARC@example.org")
    assert "Un autre compte utilise déjà cette adresse électronique." in text(response)
    response = ask_change(client, "edwige@example.org")
    assert "C'est déjà votre adresse électronique." in text(response)
    response = ask_change(client, "not-an-address")
    assert response.status_code == 200
    assert mail.outbox == []


def test_an_address_taken_before_the_link_is_opened_is_refused(family):
    ask_change(client_for("edwige@example.org"), "wanted@example.org")
    path = confirmation_path()
    factories.guardian(email="wanted@example.org")
    response = Client().get(path)
    assert response.status_code == 400
    assert "Un autre compte utilise maintenant cette adresse" in text(response)
    assert User.objects.get(pk=family["parent"].user.pk).email == "edwige@example.org"


class PastSigner(signing.TimestampSigner):
    """Signs as if it were 25 hours ago (an expired link, made the way the portal makes it)."""

    def timestamp(self) -> str:
        return signing.b62_encode(int(signing.time.time()) - 25 * 3600)


def test_expired_and_altered_links_do_not_work(family):
    user = family["parent"].user
    old = PastSigner(salt=email_change.SALT).sign_object(
        {"u": user.pk, "old": user.email, "new": "late@example.org"}
    )
    response = Client().get(reverse("families:email_change_confirm", args=[old]))
    assert response.status_code == 400
    assert "Ce lien a expiré" in text(response)
    token = email_change.make_token(user, "new@example.org")
    forged = email_change.make_token(family["stranger"].user, "new@example.org")
    tampered = forged.split(":")[0] + ":" + token.split(":", 1)[1]
    for bad in [tampered, token[:-3], "nonsense"]:
        response = Client().get(reverse("families:email_change_confirm", args=[bad]))
        assert response.status_code == 400
        assert "Ce lien n'est pas valide." in text(response)
    assert User.objects.get(pk=user.pk).email == "edwige@example.org"
    assert User.objects.get(pk=family["stranger"].user.pk).email == "martin@example.org"


# --- phone and password -----------------------------------------------------------------


def test_a_guardian_sets_their_own_phone(family):
    client = client_for("edwige@example.org")
    url = reverse("families:phone_change")
    response = client.post(url, {"phone": "06 12 34 56 78"})
    assert response.status_code == 302
    assert Guardian.objects.get(pk=family["parent"].pk).phone == "06 12 34 56 78"
    assert Guardian.objects.get(pk=family["other_parent"].pk).phone == ""
    response = client.post(url, {"phone": "call me maybe"})
    assert response.status_code == 200
    assert "Saisissez un numéro de téléphone" in text(response)
    assert Guardian.objects.get(pk=family["parent"].pk).phone == "06 12 34 56 78"
    client.post(url, {"phone": ""})
    assert Guardian.objects.get(pk=family["parent"].pk).phone == ""


def test_changing_the_password_keeps_the_session_and_tells_the_account(family):
    client = client_for("edwige@example.org")
    url = "/mes-donnees/mot-de-passe/"
    assert "families/password_change.html" in [t.name for t in client.get(url).templates]
    response = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "Nouveau-2026!",
            "new_password2": "Nouveau-2026!",
        },
    )
    assert response.status_code == 200
    assert Client().login(email="edwige@example.org", password=PASSWORD)
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-2026!",
            "new_password2": "Nouveau-2026!",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == PAGE
    assert client.get(PAGE).status_code == 200  # still logged in
    assert Client().login(email="edwige@example.org", password="Nouveau-2026!")
    assert mail.outbox[-1].to == ["edwige@example.org"]
    assert Document.objects.filter(kind=Document.Kind.ACCOUNT_SECURITY).count() == 1
