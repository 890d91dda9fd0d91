"""A closed day reopened (portail/billing/reopening.py, backoffice/reopening.py): the
town, two days of Emy's and Lise's closed, and a way for the family to spend credit."""

import datetime

import pytest
from django.utils import translation

from portail.accounts.models import User
from portail.backoffice.sessions import close_session
from portail.billing.checkout import checkout
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from tests import factories
from tests.factories import paid_booking
from tests.world.town import Town, build_town


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def town() -> Town:
    """The town, its guardians reading English (e-mails go in each guardian's language)."""
    built = build_town()
    User.objects.update(language="en")
    return built


@pytest.fixture
def strike_day(town):
    """Emy (3,70 €) and Lise (5,55 €, late) had paid town.future; the day was closed for a
    strike: 9,25 € credited to the MARTINs."""
    emy = paid_booking(town.emy, town.future)
    lise = paid_booking(town.lise, town.future, price=555, late=True)
    close_session(town.future, "Grève", actor=town.gestionnaire)
    return {"emy": emy, "lise": lise}


def spend_credit(town, days: int) -> None:
    """The MARTINs book `days` more days for Emy (3,70 € each), paid with their credit."""
    sessions = [
        factories.session(town.canteen, town.future.date + datetime.timedelta(days=7 + n))
        for n in range(days)
    ]
    submit_changes(
        town.martin,
        add=[Change(town.emy.pk, s.pk) for s in sessions],
        cancel=[],
        actor=town.parent,
        channel=Channel.WEB,
    )
    checkout(town.martin, actor=town.parent, channel=Channel.WEB)
