"""The footer's "Nous contacter": the contact démarche for a signed-in guardian, the
service's e-mail address for anyone else."""

import pytest
from django.test import Client

from portail.core.models import Organisation
from tests.world.staff import client_for

from .helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(d):
    org = Organisation.current()
    org.contact_email = "enfance@mairie.example.org"
    org.save()
    return org


def test_a_guardian_starts_the_contact_procedure(d, parent, organisation):
    html = parent.get(url("list")).content.decode()
    assert f'<a href="{url("start", "contact")}">Contact us</a>' in html
    assert "mailto:enfance@mairie.example.org" not in html


def test_anonymous_visitors_and_staff_get_the_services_address(d, organisation):
    for client in (Client(HTTP_ACCEPT_LANGUAGE="en"), client_for(d.staff, "en")):
        html = client.get("/aide/").content.decode()
        assert '<a href="mailto:enfance@mairie.example.org">Contact us</a>' in html
        assert url("start", "contact") not in html
