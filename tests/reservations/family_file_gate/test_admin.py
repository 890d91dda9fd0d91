"""Staff set the city's family-file gate in the admin (Organisation): a school year by
the year it starts in, or empty; a year that is not one is refused on the field and
changes nothing."""

import pytest
from django.urls import reverse

from portail.core.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


def organisation_form(org: Organisation, **changes) -> dict:
    data = {
        "name": org.name,
        "school_zone": org.school_zone,
        "payfip_numcli": org.payfip_numcli,
        "welcome_text": "",
        "contact_email": "",
        "contact_phone": "",
        "address": "",
        "family_file_required_from": "",
        "sites-TOTAL_FORMS": "0",
        "sites-INITIAL_FORMS": "0",
        "sites-MIN_NUM_FORMS": "0",
        "sites-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(factories.staff(is_superuser=True))
    return client


def test_staff_set_and_clear_the_setting_in_the_admin(admin_client):
    org = factories.organisation()
    url = reverse("admin:core_organisation_change", args=[org.pk])
    assert 'name="family_file_required_from"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, organisation_form(org, family_file_required_from="2027"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.family_file_required_from == 2027
    admin_client.post(url, organisation_form(org))
    org.refresh_from_db()
    assert org.family_file_required_from is None


@pytest.mark.parametrize("typed", ["27", "2027-2028", "1999"])
def test_a_value_that_is_not_a_school_year_is_refused(admin_client, typed):
    org = factories.organisation()
    url = reverse("admin:core_organisation_change", args=[org.pk])
    response = admin_client.post(url, organisation_form(org, family_file_required_from=typed))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["family_file_required_from"]
    org.refresh_from_db()
    assert org.family_file_required_from is None
