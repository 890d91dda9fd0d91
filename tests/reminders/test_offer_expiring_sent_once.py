"""A place offered from a waiting list is reminded once, within 6 hours of the end of
the offer ("the place offered to you expires tonight"): not before, not again; not when
the offer was answered; in the guardian's language."""

import datetime

import pytest
from django.core import mail

from portail.backoffice.sessions import change_capacity
from portail.reservations.models import Channel
from portail.reservations.waiting import leave
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.reminders.helpers import mails_to, run, sent
from tests.waiting_list.lists import full_monday, join, waiting_family
from tests.world.days import MONDAY, NOW
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def offer_mails(user) -> list:
    return [m for m in mails_to(user.email) if "#reminder-offer_expiring" in m.body]


def _offered(world):
    fam = waiting_family(world)
    join(world, fam)
    change_capacity(world.sessions[MONDAY], 2, actor=gestionnaire(), now=NOW)
    entry = WaitingListEntry.objects.get(child=fam[2], session=world.sessions[MONDAY])
    assert entry.status == WaitingStatus.OFFERED
    return fam, entry


def test_the_offer_is_reminded_once_before_it_ends(time_machine):
    world = full_monday()
    (_household, user, _child), entry = _offered(world)
    mail.outbox.clear()

    time_machine.move_to(entry.offer_expires_at - 7 * HOUR)
    run()
    assert offer_mails(user) == []

    time_machine.move_to(entry.offer_expires_at - 5 * HOUR)
    run()
    run()
    (message,) = offer_mails(user)
    assert "07/12/2026" in message.subject
    assert "/panier/" in message.body
    assert "/mes-donnees/rappels/#reminder-offer_expiring" in message.body
    assert len(sent("offer_expiring")) == 1

    time_machine.move_to(entry.offer_expires_at - HOUR)
    run()
    assert len(offer_mails(user)) == 1


def test_an_offer_declined_is_not_reminded(time_machine):
    world = full_monday()
    (household, user, _child), entry = _offered(world)
    leave(household, entry.pk, actor=user, channel=Channel.WEB, now=NOW)
    mail.outbox.clear()
    time_machine.move_to(entry.offer_expires_at - 2 * HOUR)
    run()
    assert offer_mails(user) == [] and sent("offer_expiring") == []
