"""Forgotten password: Django's flow with the portal's pages and e-mails (kept for guardians)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portail.accounts.models import LoginFailure
from portail.families.models import Document
from tests import factories
from tests.accounts.helpers import link_path

pytestmark = pytest.mark.django_db

RESET = "/compte/mot-de-passe/oubli/"
NEW_PASSWORD = "Une-phrase-de-passe-solide-42"


def test_reset_page_has_a_labelled_email_field(client):
    html = client.get(RESET).content.decode()
    assert '<label for="id_email"' in html
    assert 'type="email"' in html


def test_guardian_gets_the_reset_email_and_it_is_kept_as_a_document(client):
    guardian = factories.guardian(email="anne@example.org")
    response = client.post(RESET, {"email": "Anne@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    [message] = mail.outbox
    with translation.override("fr"):
        subject = gettext("Password reset link")
    assert message.subject == subject
    assert message.to == ["anne@example.org"]
    assert link_path(message).startswith("/compte/mot-de-passe/nouveau/")
    document = Document.objects.get()
    assert document.household == guardian.household
    assert document.kind == Document.Kind.PASSWORD_RESET
    assert document.title == subject
    assert document.recipient == "anne@example.org"
    assert "/compte/mot-de-passe/nouveau/" not in document.body


def test_the_link_sets_a_new_password_once(client):
    guardian = factories.guardian(email="anne@example.org")
    client.post(RESET, {"email": "anne@example.org"})
    path = link_path(mail.outbox[0])
    form_path = client.get(path)["Location"]
    response = client.post(
        form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(response["Location"]).status_code == 200
    guardian.user.refresh_from_db()
    assert guardian.user.check_password(NEW_PASSWORD)
    assert SESSION_KEY not in client.session

    again = client.get(path)
    assert again.context["validlink"] is False
    assert reverse("accounts:password_reset") in again.content.decode()

    response = client.post(
        reverse("accounts:login"), {"email": "anne@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_a_new_password_lifts_the_login_throttle(client):
    factories.guardian(email="anne@example.org")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"email": "anne@example.org", "password": "bad"})
    assert LoginFailure.objects.count() == 5
    client.post(RESET, {"email": "anne@example.org"})
    form_path = client.get(link_path(mail.outbox[0]))["Location"]
    client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert LoginFailure.objects.count() == 0


def test_unknown_address_looks_the_same_and_sends_nothing(client):
    factories.guardian(email="anne@example.org")
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    assert Document.objects.count() == 0


def test_staff_get_the_email_without_a_document(client):
    factories.staff(email="agent@example.org")
    client.post(RESET, {"email": "agent@example.org"})
    assert len(mail.outbox) == 1
    assert Document.objects.count() == 0


def test_disabled_accounts_get_nothing(client):
    factories.guardian(email="gone@example.org", is_active=False)
    client.post(RESET, {"email": "gone@example.org"})
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "not-an-email", "x" * 400 + "@example.org"])
def test_bad_input_gives_an_error_and_sends_nothing(client, email):
    factories.guardian(email="anne@example.org")
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert mail.outbox == []
    assert Document.objects.count() == 0
