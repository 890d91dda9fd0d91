"""Forgotten-password e-mails are rate-limited (issue 12, finding 4).

25 requests for one address sent 25 e-mails, and "Mes documents" kept 25 copies. Now at
most PORTAIL_PASSWORD_RESET_MAX_PER_ACCOUNT e-mails go to one account, and one client
address makes at most PORTAIL_PASSWORD_RESET_MAX_PER_IP requests, within
PORTAIL_PASSWORD_RESET_WINDOW_MINUTES. Every request still gets the same neutral answer.
"""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portail.accounts.models import PasswordResetRequest, User
from portail.families.models import Document
from tests import factories

pytestmark = pytest.mark.django_db

RESET = "/compte/mot-de-passe/oubli/"
DONE = reverse("accounts:password_reset_done")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def _reset_settings(settings):
    settings.PORTAIL_PASSWORD_RESET_MAX_PER_ACCOUNT = 3
    settings.PORTAIL_PASSWORD_RESET_MAX_PER_IP = 20
    settings.PORTAIL_PASSWORD_RESET_WINDOW_MINUTES = 60


def ask(client: Client, email: str) -> None:
    response = client.post(RESET, {"email": email})
    assert response.status_code == 302
    assert response["Location"] == DONE


def age_all_requests(minutes: int) -> None:
    for row in PasswordResetRequest.objects.all():
        row.created_at -= datetime.timedelta(minutes=minutes)
        row.save(update_fields=["created_at"])


def test_one_account_gets_at_most_three_emails_and_documents():
    factories.guardian(email="anne@example.org")
    for n in range(25):
        # From many addresses: the account's own limit holds whoever asks.
        ask(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), "anne@example.org")
    assert len(mail.outbox) == 3
    assert Document.objects.filter(kind=Document.Kind.PASSWORD_RESET).count() == 3


def test_the_account_gets_an_email_again_once_the_window_has_passed(client):
    factories.guardian(email="anne@example.org")
    for _ in range(5):
        ask(client, "anne@example.org")
    assert len(mail.outbox) == 3
    age_all_requests(61)
    ask(client, "anne@example.org")
    assert len(mail.outbox) == 4


def test_one_client_address_is_limited_across_accounts(settings):
    settings.PORTAIL_PASSWORD_RESET_MAX_PER_IP = 4
    for n in range(6):
        factories.guardian(email=f"parent{n}@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(6):
        ask(attacker, f"parent{n}@example.org")
    assert [message.to for message in mail.outbox] == [[f"parent{n}@example.org"] for n in range(4)]
    # Someone else, from another address, is not affected.
    ask(Client(REMOTE_ADDR="192.0.2.1"), "parent5@example.org")
    assert mail.outbox[-1].to == ["parent5@example.org"]


def test_requests_for_unknown_addresses_count_against_the_client_address(settings):
    settings.PORTAIL_PASSWORD_RESET_MAX_PER_IP = 3
    factories.guardian(email="anne@example.org")
    prober = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        ask(prober, f"nobody{n}@example.org")
    ask(prober, "anne@example.org")
    assert mail.outbox == []


def test_the_limits_follow_the_settings(client, settings):
    settings.PORTAIL_PASSWORD_RESET_MAX_PER_ACCOUNT = 1
    factories.guardian(email="anne@example.org")
    ask(client, "anne@example.org")
    ask(client, "ANNE@example.org")
    assert len(mail.outbox) == 1


def test_activation_links_sent_instead_are_limited_too(client):
    User.objects.create_user("new@example.org")  # never activated: no usable password
    for _ in range(6):
        ask(client, "new@example.org")
    assert len(mail.outbox) == 3


def test_a_limited_request_looks_exactly_like_any_other(client):
    factories.guardian(email="anne@example.org")
    for _ in range(3):
        ask(client, "anne@example.org")
    limited = client.post(RESET, {"email": "anne@example.org"}, follow=True)
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert limited.redirect_chain == unknown.redirect_chain == [(DONE, 302)]
    # Byte for byte, but for the CSRF token (masked afresh on every page).
    assert CSRF.sub(b"", limited.content) == CSRF.sub(b"", unknown.content)
    assert len(mail.outbox) == 3
