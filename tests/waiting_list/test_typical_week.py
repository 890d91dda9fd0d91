"""The typical week's preview lists the full days it skips with a form to put them all on
their waiting lists at once."""

import re

import pytest

from portail.reservations.waiting_models import WaitingListEntry
from tests.factories import paid_booking
from tests.world.commune import family, seed_family
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_the_full_days_skipped_can_join_their_waiting_lists():
    fam = seed_family(default_capacity=1)
    emy, lise = fam.children
    monday, tuesday = (fam.sessions[day] for day in fam.days[:2])
    _household, _user, (other,) = family(fam.activity, names=["Autre"])
    paid_booking(other, monday)
    paid_booking(other, tuesday)
    parent = client_for(fam.user, language="en")
    preview = parent.get(
        "/planning/type/",
        {
            "step": "preview",
            "day": [f"{emy.pk}:{fam.activity.pk}:0", f"{emy.pk}:{fam.activity.pk}:1"],
            "from": fam.start.isoformat(),
            "to": fam.end.isoformat(),
            "mode": "reserve",
        },
    ).content.decode()
    form = re.search(r'<form[^>]*action="/planning/liste-attente/".*?</form>', preview, re.S)
    values = re.findall(r'name="waitlist" value="([^"]+)"', form.group(0))
    assert values == [f"join:{emy.pk}:{monday.pk}", f"join:{emy.pk}:{tuesday.pk}"]
    response = parent.post("/planning/liste-attente/", {"waitlist": values})
    assert response.status_code == 302
    entries = WaitingListEntry.objects.filter(child=emy).order_by("session__date")
    assert [e.session_id for e in entries] == [monday.pk, tuesday.pk]
    assert not WaitingListEntry.objects.filter(child=lise).exists()
