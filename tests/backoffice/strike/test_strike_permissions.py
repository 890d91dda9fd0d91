"""Only the gestionnaire closes many days: other staff and parents get 403, nothing
changes."""

import pytest
from django.core import mail

from portail.activities.models import Session
from tests.backoffice.strike.conftest import URL, form
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_other_roles_are_refused(town, week):
    for user in (town.pointage, town.cuisine, town.parent):
        client = client_for(user, "en")
        assert client.get(URL).status_code == 403
        assert client.post(URL, form(town, week, action="close", confirm="on")).status_code == 403
    assert not Session.objects.filter(is_open=False).exists()
    assert not mail.outbox
