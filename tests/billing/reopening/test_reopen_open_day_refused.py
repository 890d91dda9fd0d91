"""An open day cannot be reopened: refused, nothing changed, nobody e-mailed."""

import pytest
from django.core import mail
from django.urls import reverse

from portail.backoffice.households import Refused
from portail.backoffice.reopening import reopen_session
from portail.billing.models import CreditEntry
from portail.reservations.models import HistoryEntry
from tests.factories import paid_booking
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def test_reopening_an_open_day_is_refused(town):
    paid_booking(town.emy, town.future)
    with pytest.raises(Refused):
        reopen_session(town.future, actor=town.gestionnaire)
    response = client_for(town.gestionnaire, "en").post(
        reverse("backoffice:session_reopen", args=[town.future.pk]), {"reopen-confirm": "on"}
    )
    assert response.status_code == 400
    assert "nothing to reopen" in response.content.decode()
    assert not mail.outbox and not CreditEntry.objects.exists()
    assert not HistoryEntry.objects.exists()
