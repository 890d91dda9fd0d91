"""Bad input to the strike form: form errors (400), nothing closed, nobody e-mailed."""

import pytest
from django.core import mail

from portail.activities.models import Session
from tests.backoffice.strike.conftest import URL, form
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "15/11/2026"}, "cannot be before the first"),
        ({"start": "01/01/2026", "end": "31/01/2027"}, "At most 366 days"),
        ({"sites": []}, "Tick at least one site."),
        ({"sites": ["999999"]}, "Select a valid choice"),
        ({"sites": ["abc"]}, "is not a valid value"),
        ({"activities": ["999999"]}, "Select a valid choice"),
        ({"reason": "   "}, "This field is required"),
        ({"start": "31/02/2026"}, "Enter a valid date"),
        ({"start": "01/01/1900"}, ""),
    ],
)
def test_bad_input_changes_nothing(town, week, overrides, message):
    response = client_for(town.gestionnaire, "en").post(
        URL, form(town, week, action="close", confirm="on", **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Session.objects.filter(is_open=False).exists()
    assert not mail.outbox


def test_an_activity_of_a_site_not_ticked_is_refused(town, week):
    response = client_for(town.gestionnaire, "en").post(
        URL, form(town, week, action="close", confirm="on", activities=[str(town.other_canteen.pk)])
    )
    assert response.status_code == 400
    assert "is not on a site ticked" in response.content.decode()
    assert not Session.objects.filter(is_open=False).exists()
