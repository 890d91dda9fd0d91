"""Accounts created by staff are activated from an e-mailed link that expires and works once."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portail.accounts.activation import send_activation_link
from portail.accounts.models import User
from portail.families.models import Document, Guardian
from tests import factories
from tests.accounts.helpers import link_path

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Une-phrase-de-passe-solide-42"


def new_guardian(email="nouveau@example.org", language="fr") -> User:
    """A guardian as staff create one: no usable password."""
    user = User.objects.create_user(email=email, first_name="Edwige", language=language)
    Guardian.objects.create(user=user, household=factories.household())
    return user


def set_password(client, path, password=NEW_PASSWORD):
    """Open the link (which hides the token behind a redirect), then post the new password."""
    opened = client.get(path)
    assert opened.status_code == 302
    form_path = opened["Location"]
    assert "mot-de-passe" in form_path
    assert client.get(form_path).context["validlink"] is True
    return client.post(form_path, {"new_password1": password, "new_password2": password})


def test_activation_email_in_the_users_language_and_kept_as_a_document():
    user = new_guardian()
    document = send_activation_link(user)
    with translation.override("fr"):
        subject = gettext("Password activation link")
    [message] = mail.outbox
    assert message.to == ["nouveau@example.org"]
    assert message.subject == subject
    assert link_path(message).startswith("/compte/activation/")
    assert document.kind == Document.Kind.ACTIVATION
    assert document.title == subject
    assert document.recipient == "nouveau@example.org"
    assert document.household == user.guardian.household
    # The copy kept in "Mes documents" has no live link.
    assert "/compte/activation/" not in document.body
    assert "nouveau@example.org" in document.body


def test_staff_without_household_get_the_email_but_no_document():
    user = factories.staff(password=None)
    assert send_activation_link(user) is None
    assert len(mail.outbox) == 1
    assert Document.objects.count() == 0


def test_link_sets_the_password_logs_in_and_goes_home(client):
    user = new_guardian()
    send_activation_link(user)
    response = set_password(client, link_path(mail.outbox[0]))
    assert response.status_code == 302
    assert response["Location"] == reverse("families:home")
    assert client.session[SESSION_KEY] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert response.cookies["portail_language"].value == "fr"


def test_a_used_link_stops_working(client):
    user = new_guardian()
    send_activation_link(user)
    path = link_path(mail.outbox[0])
    set_password(client, path)
    client.post(reverse("accounts:logout"))

    again = client.get(path)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    html = again.content.decode()
    assert 'role="alert"' in html
    assert reverse("accounts:password_reset") in html
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_link_expires_after_the_configured_hours(client, settings, token_clock):
    settings.PORTAIL_ACTIVATION_HOURS = 2
    user = new_guardian()
    send_activation_link(user)
    path = link_path(mail.outbox[0])

    token_clock(datetime.timedelta(hours=2, seconds=-60))
    assert client.get(path).status_code == 302  # still valid just before

    token_clock(datetime.timedelta(hours=2, seconds=1))
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    # Even the form page, reached while the link was valid, now refuses.
    form_page = client.get(path.rsplit("/", 2)[0] + "/mot-de-passe/")
    assert form_page.context["validlink"] is False
    response = client.post(
        path.rsplit("/", 2)[0] + "/mot-de-passe/",
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_expiry_is_not_the_password_reset_timeout(client, settings, token_clock):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    settings.PORTAIL_ACTIVATION_HOURS = 72
    user = new_guardian()
    send_activation_link(user)
    token_clock(datetime.timedelta(hours=48))
    assert client.get(link_path(mail.outbox[0])).status_code == 302


def test_activation_and_reset_tokens_are_not_interchangeable(client):
    user = new_guardian()
    send_activation_link(user)
    activation_path = link_path(mail.outbox[0])
    uidb64, token = activation_path.strip("/").split("/")[-2:]
    reset_path = reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uidb64, "token": token}
    )
    assert client.get(reset_path).context["validlink"] is False


def test_tampered_or_garbage_links_fail_cleanly(client):
    user = new_guardian()
    send_activation_link(user)
    path = link_path(mail.outbox[0])
    for bad in [
        path[:-3] + "zzz/",
        "/compte/activation/xx/1-2/",
        "/compte/activation/MQ/" + "9" * 40 + "/",
    ]:
        response = client.get(bad)
        assert response.status_code == 200
        assert response.context["validlink"] is False


def test_disabled_account_cannot_use_its_link(client):
    user = new_guardian()
    send_activation_link(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(link_path(mail.outbox[0])).context["validlink"] is False


def test_weak_or_mismatched_passwords_are_refused_and_change_nothing(client):
    user = new_guardian()
    send_activation_link(user)
    form_path = client.get(link_path(mail.outbox[0]))["Location"]
    for first, second in [
        ("123", "123"),
        (NEW_PASSWORD, NEW_PASSWORD + "x"),
        ("", ""),
        ("y" * 5000, "y" * 5000),
    ]:
        response = client.post(form_path, {"new_password1": first, "new_password2": second})
        assert response.status_code == 200
        assert response.context["form"].errors
        assert 'role="alert"' in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert SESSION_KEY not in client.session


def test_english_user_lands_in_english(client):
    user = new_guardian(language="en")
    send_activation_link(user)
    response = set_password(client, link_path(mail.outbox[0]))
    assert response.cookies["portail_language"].value == "en"


def test_never_activated_account_asking_a_reset_gets_a_new_activation_link(client):
    user = new_guardian()
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert link_path(message).startswith("/compte/activation/")
    assert Document.objects.get().kind == Document.Kind.ACTIVATION
    set_password(client, link_path(message))
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
