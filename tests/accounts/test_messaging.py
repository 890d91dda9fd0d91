"""The e-mail helper every part of the product uses: sends, and keeps "Mes documents"."""

from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from portail.accounts.emails import render_for
from portail.families.messaging import send_to_household, send_to_user
from portail.families.models import Document
from tests import factories

pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_send_to_household_sends_to_every_active_guardian_and_keeps_one_document():
    household = factories.household()
    factories.guardian(household, email="mere@example.org")
    factories.guardian(household, email="pere@example.org")
    factories.guardian(household, email="ancien@example.org", is_active=False)
    factories.guardian(email="voisin@example.org")  # another household

    document = send_to_household(
        household,
        kind=Document.Kind.CLOSURE_NOTICE,
        subject="Fermeture le 12 mai",
        body="La cantine est fermée.",
        html_body="<p>La cantine est fermée.</p>",
        attachments=[("avis.pdf", b"%PDF-1.4", "application/pdf")],
    )

    assert sorted(m.to[0] for m in mail.outbox) == ["mere@example.org", "pere@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "Fermeture le 12 mai"
    assert message.body == "La cantine est fermée."
    assert message.alternatives[0][1] == "text/html"
    assert message.attachments[0][0] == "avis.pdf"
    assert Document.objects.get() == document
    assert document.household == household
    assert document.kind == "closure_notice"
    assert document.title == "Fermeture le 12 mai"
    assert document.body == "La cantine est fermée."
    assert document.recipient == "mere@example.org, pere@example.org"


def test_household_without_active_login_still_keeps_the_document():
    household = factories.household()
    document = send_to_household(household, kind="message", subject="Bonjour", body="Texte")
    assert mail.outbox == []
    assert document.recipient == ""
    assert document.household == household


def test_many_guardians_fit_the_recipient_column():
    household = factories.household()
    for n in range(12):
        factories.guardian(household, email=f"responsable-legal-{n}@commune-exemple.fr")
    document = send_to_household(household, kind="message", subject="S", body="B")
    document.refresh_from_db()
    assert len(mail.outbox) == 12
    assert 0 < len(document.recipient) <= 254


def test_send_to_user_keeps_a_document_for_guardians_only():
    guardian = factories.guardian(email="anne@example.org")
    agent = factories.staff(email="agent@example.org")

    document = send_to_user(
        guardian.user, kind="payment_ticket", subject="Ticket", body="Payé", kept_body="Copie"
    )
    assert document.household == guardian.household
    assert document.recipient == "anne@example.org"
    assert document.body == "Copie"
    assert mail.outbox[0].body == "Payé"

    assert send_to_user(agent, kind="message", subject="Note", body="Texte") is None
    assert [m.to for m in mail.outbox] == [["anne@example.org"], ["agent@example.org"]]
    assert Document.objects.count() == 1


def test_subject_line_breaks_are_removed_and_long_titles_cut():
    guardian = factories.guardian()
    document = send_to_user(
        guardian.user, kind="message", subject="Un\nsujet\r\n" + "x" * 300, body="B"
    )
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].subject.startswith("Un sujet x")
    assert len(document.title) == 200


def test_unknown_kind_is_a_programming_error_and_sends_nothing():
    guardian = factories.guardian()
    with pytest.raises(ValueError):
        send_to_user(guardian.user, kind="love_letter", subject="S", body="B")
    with pytest.raises(ValueError):
        send_to_household(guardian.household, kind="", subject="S", body="B")
    assert mail.outbox == []
    assert Document.objects.count() == 0


def test_mail_server_down_keeps_the_document_and_does_not_raise(settings, caplog):
    settings.EMAIL_BACKEND = "tests.accounts.test_messaging.BrokenBackend"
    guardian = factories.guardian()
    document = send_to_household(guardian.household, kind="message", subject="S", body="B")
    assert document.pk
    assert "Could not send" in caplog.text


def test_render_for_uses_the_recipients_language(settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [Path(__file__).parent / "templates"]}]
    english = factories.guardian(language="en").user
    french = factories.guardian(language="fr").user
    assert render_for(english, "tests_accounts/language", {"who": "Ann"}) == (
        "subject in en",
        "body in en for Ann\n",
    )
    assert render_for(french, "tests_accounts/language", {"who": "Anne"})[0] == "subject in fr"


def test_each_guardian_reads_the_household_s_message_in_their_own_language():
    from django.utils.translation import gettext

    from portail.families.messaging import household_language, send_to_household_in_languages

    household = factories.household()
    factories.guardian(household, email="mother@example.org", language="en")
    factories.guardian(household, email="pere@example.org")  # never chose: the default
    factories.guardian(household, email="mere2@example.org", language="fr")

    def write():
        return gettext("Home"), gettext("Help")

    document = send_to_household_in_languages(household, kind=Document.Kind.MESSAGE, write=write)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["mother@example.org"].subject == "Home"
    assert by_address["pere@example.org"].subject == "Accueil"
    assert by_address["mere2@example.org"].body == "Aide"
    assert len(mail.outbox) == 3
    # One copy for the household: the first guardian's version, then the other.
    assert document.title == "Home"
    assert document.body.startswith("Help") and "Aide" in document.body
    assert household_language(household) == "en"


def test_a_household_without_an_active_login_keeps_the_message_in_the_default_language():
    from portail.families.messaging import send_to_household_in_languages

    household = factories.household()
    factories.guardian(household, email="ancien@example.org", language="en", is_active=False)
    document = send_to_household_in_languages(
        household, kind=Document.Kind.MESSAGE, write=lambda: ("Sujet", "Corps")
    )
    assert mail.outbox == []
    assert (document.title, document.body) == ("Sujet", "Corps\n")
