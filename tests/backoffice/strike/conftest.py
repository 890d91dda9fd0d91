"""Closing many days at once (portail/backoffice/strike.py): the town, a week of days on
both sites, bookings of both families."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.factories import paid_booking
from tests.world.town import Town, build_town

URL = reverse("backoffice:sessions_close_many")


@pytest.fixture
def town() -> Town:
    return build_town()


@pytest.fixture
def week(town):
    """Mon 16 to Fri 20 November 2026 on the Malves canteen and the Pennautier canteen;
    Emy and Tom booked Monday and Tuesday at Malves, Lise Tuesday at Pennautier."""
    monday = datetime.date(2026, 11, 16)
    days = [monday + datetime.timedelta(days=n) for n in range(5)]
    malves = [factories.session(town.canteen, d) for d in days]
    pennautier = [factories.session(town.other_canteen, d) for d in days]
    for session in malves[:2]:
        paid_booking(town.emy, session)
        paid_booking(town.tom, session)
    paid_booking(town.lise, pennautier[1])
    return {"days": days, "malves": malves, "pennautier": pennautier}


def form(town, week, **overrides) -> dict:
    data = {
        "start": "16/11/2026",
        "end": "17/11/2026",
        "sites": [str(town.site.pk)],
        "activities": [str(town.canteen.pk)],
        "reason": "Grève du personnel",
        "action": "preview",
    }
    data.update(overrides)
    return data
