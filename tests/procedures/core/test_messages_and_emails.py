"""The history (who, when, channel, status after; "Management service" for staff), the
messages both ways, and the e-mails the family gets at each change of status, in its
language, kept in "Mes documents"."""

import pytest
from django.core import mail
from django.utils import translation

from portail.families.models import Document
from portail.procedures import services
from portail.procedures.statuses import RequestRefused
from tests.clock import NOW
from tests.world.procedures import BACKOFFICE, WEB, desk, request_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def d():
    d = desk()
    d.user.language = "en"
    d.user.save()
    return d


def test_the_history_says_who_when_and_through_which_channel(d):
    request = request_in(d, "contact", "refused")
    events = list(request.events.all())
    assert [(e.kind, e.status, e.channel) for e in events] == [
        ("status_change", "draft", "web"),
        ("status_change", "submitted", "web"),
        ("status_change", "in_progress", "backoffice"),
        ("status_change", "refused", "backoffice"),
    ]
    assert [e.who for e in events] == [d.user.email] * 2 + ["Management service"] * 2
    assert events[-1].actor == d.staff  # staff see who it was
    assert events[-1].actor_label == d.staff.email
    assert events[-1].message == "Hors délai."
    assert all(abs((e.at - NOW).total_seconds()) < 60 for e in events)


def test_messages_both_ways(d):
    request = request_in(d, "contact", "in_progress")
    mail.outbox = []
    services.add_message(d.household, request.pk, " Merci ! ", actor=d.user, channel=WEB)
    services.staff_message(request.pk, "Réponse du service.", actor=d.staff, channel=BACKOFFICE)
    family, staff = request.events.all()[3:]
    assert (family.kind, family.message, family.who) == ("family_message", "Merci !", d.user.email)
    assert (staff.kind, staff.message, staff.who) == (
        "staff_message",
        "Réponse du service.",
        "Management service",
    )
    (email,) = mail.outbox  # the family is told of the service's message only
    assert email.to == [d.user.email]
    assert "Réponse du service." in email.body


@pytest.mark.parametrize("text", ["", "  ", None, "x" * 5001])
def test_an_empty_or_huge_message_is_refused(d, text):
    request = request_in(d, "contact", "submitted")
    with pytest.raises(RequestRefused) as refused:
        services.add_message(d.household, request.pk, text, actor=d.user, channel=WEB)
    assert refused.value.code == "invalid_request"
    assert request.events.count() == 2


def test_no_message_on_a_draft_nor_once_decided(d):
    for status in ("draft", "accepted"):
        request = request_in(d, "contact", status)
        with pytest.raises(RequestRefused) as refused:
            services.add_message(d.household, request.pk, "Allô ?", actor=d.user, channel=WEB)
        assert refused.value.code == "status"


def test_an_email_at_each_change_of_status_in_the_household_language(d):
    mail.outbox = []
    request = request_in(d, "contact", "needs_info")
    services.submit(d.household, request.pk, actor=d.user, channel=WEB)
    services.take(request.pk, actor=d.staff, channel=BACKOFFICE)
    services.refuse(request.pk, "Hors délai.", actor=d.staff, channel=BACKOFFICE)
    number = request.number
    subject = f"Your request {number} - CONTACTER UN SERVICE"
    assert [m.subject for m in mail.outbox] == [subject] * 5
    assert [m.body.split("\n")[0] for m in mail.outbox] == [
        f"Your request {number} (CONTACTER UN SERVICE) is now: {status}."
        for status in ("Submitted", "To be completed", "Submitted", "Being processed", "Refused")
    ]
    assert "Message from the service: Il manque l'avis." in mail.outbox[1].body
    assert "Reason: Hors délai." in mail.outbox[4].body
    kept = Document.objects.filter(household=d.household, kind="message")
    assert kept.count() == 5  # in "Mes documents"


def test_the_email_is_in_the_household_language_not_the_active_one(d):
    """(Meaningful for French once the lead's catalogue translates these msgids.)"""
    d.user.language = "fr"
    d.user.save()
    mail.outbox = []
    request = request_in(d, "contact", "submitted")
    (email,) = mail.outbox
    with translation.override("fr"):
        expected = translation.gettext("Your request %(number)s - %(title)s") % {
            "number": request.number,
            "title": "CONTACTER UN SERVICE",
        }
    assert email.subject == expected


def test_early_childhood_emails_speak_as_the_commission(d):
    mail.outbox = []
    request = request_in(d, "early_childhood", "waiting_list")
    assert [m.body.split("\n")[0].split(": ")[-1] for m in mail.outbox] == [
        "Awaiting the commission.",
        "Awaiting the commission.",
        "Waiting list.",
    ]
    services.accept(request.pk, actor=d.staff, channel=BACKOFFICE)
    assert mail.outbox[-1].body.split("\n")[0].endswith("is now: Accepted.")
