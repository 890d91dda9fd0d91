"""The demo's staff logins: a gestionnaire, an attendance agent for École de Malves and a
kitchen account, each able to log in and reach the back office with its role."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from portail.accounts.models import User
from portail.backoffice.models import StaffProfile
from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, sites_for, staff_role

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_gives_the_staff_their_roles_and_prints_the_logins():
    load()
    output = load()  # idempotent: the second run leaves one profile per login
    assert "pointage@example.org / pointage-demo" in output
    assert "cuisine@example.org / cuisine-demo" in output
    assert "gestion@example.org / gestion-demo" in output
    assert StaffProfile.objects.count() == 3
    roles = {u.email: staff_role(u) for u in User.objects.filter(is_staff=True)}
    assert roles == {
        "gestion@example.org": GESTIONNAIRE,
        "pointage@example.org": POINTAGE,
        "cuisine@example.org": CUISINE,
    }
    agent = User.objects.get(email="pointage@example.org")
    assert [s.name for s in sites_for(agent)] == ["École de Malves"]
    assert not agent.is_superuser


@pytest.mark.parametrize(
    ("email", "password", "families_status"),
    [
        ("gestion@example.org", "gestion-demo", 200),
        ("pointage@example.org", "pointage-demo", 403),
        ("cuisine@example.org", "cuisine-demo", 403),
        ("parent@example.org", "parent-demo", 403),
    ],
)
def test_each_demo_login_reaches_what_its_role_allows(email, password, families_status):
    load()
    client = Client()
    assert client.login(email=email, password=password)
    assert client.get("/gestion/familles/").status_code == families_status
    expected_home = 403 if email.startswith("parent") else 200
    assert client.get("/gestion/").status_code == expected_home
