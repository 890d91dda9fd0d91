"""Account e-mails (activation, password reset) are sent by accounts; how they are
delivered is a hook: only sent by default, kept in "Mes documents" once families registers
its delivery (which it does in its AppConfig.ready())."""

import pytest
from django.core import mail

from portail.accounts import emails
from portail.accounts.activation import send_activation_link
from portail.families import messaging
from portail.families.models import Document
from tests import factories
from tests.accounts.helpers import link_path

pytestmark = pytest.mark.django_db

RESET = "/compte/mot-de-passe/oubli/"


@pytest.fixture
def accounts_alone():
    """The delivery accounts has when no app above registers one."""
    registered = emails.deliver_account_emails_with(emails.send_only)
    yield
    emails.deliver_account_emails_with(registered)


def test_families_registers_send_to_user_as_the_delivery():
    registered = emails.deliver_account_emails_with(emails.send_only)
    emails.deliver_account_emails_with(registered)
    assert registered is messaging.send_to_user


def test_the_kinds_accounts_sends_are_kinds_of_document():
    assert emails.ACTIVATION == Document.Kind.ACTIVATION
    assert emails.PASSWORD_RESET == Document.Kind.PASSWORD_RESET


@pytest.mark.usefixtures("accounts_alone")
def test_without_families_the_activation_link_is_sent_and_nothing_kept():
    guardian = factories.guardian(email="anne@example.org", password=None)
    assert send_activation_link(guardian.user) is None
    [message] = mail.outbox
    assert message.to == ["anne@example.org"]
    assert link_path(message).startswith("/compte/activation/")
    assert Document.objects.count() == 0


@pytest.mark.usefixtures("accounts_alone")
def test_without_families_the_reset_link_is_sent_and_nothing_kept(client):
    factories.guardian(email="anne@example.org")
    assert client.post(RESET, {"email": "anne@example.org"}).status_code == 302
    [message] = mail.outbox
    assert message.to == ["anne@example.org"]
    assert link_path(message).startswith("/compte/mot-de-passe/nouveau/")
    assert Document.objects.count() == 0


def test_an_unknown_kind_is_a_programming_error_and_sends_nothing():
    guardian = factories.guardian()
    with pytest.raises(ValueError):
        emails.send_account_email(
            guardian.user, kind="message", subject="S", body="B", kept_body="B"
        )
    assert mail.outbox == []
    assert Document.objects.count() == 0
