"""The strike form closes every open day of the activities chosen in the date range, and
those only: bookings cancelled and credited, as closing each day from its page."""

import pytest

from portail.activities.models import Session
from portail.billing import credits
from portail.reservations.models import Booking, BookingStatus
from tests.backoffice.strike.conftest import URL, form
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_the_range_and_activities_chosen_are_closed(town, week):
    client = client_for(town.gestionnaire, "en")
    response = client.post(URL, form(town, week, action="close", confirm="on"))
    assert response.status_code == 200
    closed = set(Session.objects.filter(is_open=False).values_list("pk", flat=True))
    assert closed == {s.pk for s in week["malves"][:2]}
    assert all(
        s.closed_reason == "Grève du personnel" for s in Session.objects.filter(is_open=False)
    )
    assert not Booking.objects.filter(
        session__in=week["malves"], status=BookingStatus.RESERVED
    ).exists()
    # Pennautier was not chosen: Lise's day stands.
    assert Booking.objects.get(child=town.lise).status == BookingStatus.RESERVED
    assert credits.balance_cents(town.martin) == 740
    assert credits.balance_cents(town.durand) == 740
    page = response.content.decode()
    assert "2 days closed." in page and "4 bookings cancelled." in page
    assert "2 families e-mailed." in page


def test_no_activity_ticked_means_every_activity_of_the_sites(town, week):
    client = client_for(town.gestionnaire, "en")
    data = form(
        town,
        week,
        action="close",
        confirm="on",
        sites=[str(town.site.pk), str(town.other_site.pk)],
        activities=[],
        end="20/11/2026",
    )
    assert client.post(URL, data).status_code == 200
    closed = set(Session.objects.filter(is_open=False).values_list("pk", flat=True))
    assert closed == {s.pk for s in week["malves"] + week["pennautier"]}
    assert not Booking.objects.filter(status=BookingStatus.RESERVED).exists()
