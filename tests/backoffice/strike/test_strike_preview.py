"""The preview lists the days that would be closed, with the bookings and families they
concern, and changes nothing; closing without ticking the confirmation is refused."""

import pytest
from django.core import mail

from portail.activities.models import Session
from portail.billing.models import CreditEntry
from tests.backoffice.strike.conftest import URL, form
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_the_preview_changes_nothing(town, week):
    client = client_for(town.gestionnaire, "en")
    assert client.get(URL).status_code == 200
    response = client.post(URL, form(town, week, end="18/11/2026"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 open days." in page
    assert "4 reserved bookings will be cancelled and credited." in page
    assert "2 families concerned." in page
    assert 'name="confirm"' in page and 'value="close"' in page
    unconfirmed = client.post(URL, form(town, week, action="close"))
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert not Session.objects.filter(is_open=False).exists()
    assert not CreditEntry.objects.exists() and not mail.outbox
