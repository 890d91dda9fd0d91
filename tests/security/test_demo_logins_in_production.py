"""The demo's logins never open a portal outside demo mode (issue 12, finding 2).

A database that once held the demo, served with PORTAIL_ENV=production, accepted
gestion@example.org / gestion-demo (published in the README) and `check --deploy` said
nothing. Outside demo mode the demo logins are now refused everywhere a password is
checked (login page, API, admin, `Client.login`), their sessions end, and the deploy
check reports them as an error.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.checks import run_checks

from portail.accounts.models import User
from portail.demo.builder import demo_logins
from tests import factories
from tests.test_settings import PRODUCTION_ENV, run_portail

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
TOKEN = "/api/v1/auth/token"
CHECK_ID = "accounts.E001"


@pytest.fixture
def demo_staff():
    """The demo's gestionnaire login, as `load_demo` leaves it."""
    return factories.staff(email="gestion@example.org", password="gestion-demo")


def deploy_errors() -> list[str]:
    return [message.id for message in run_checks(include_deployment_checks=True)]


def test_demo_logins_are_refused_by_the_login_page_outside_demo_mode(client, settings):
    settings.PORTAIL_DEMO = False
    for _who, email, password in demo_logins():
        factories.staff(email=email, password=password)
        response = client.post(LOGIN, {"email": email, "password": password})
        assert response.status_code == 200
        errors = response.context["form"].non_field_errors().as_data()
        assert [error.code for error in errors] == ["invalid_credentials"]
        assert SESSION_KEY not in client.session


def test_demo_logins_are_refused_by_the_api_and_the_admin(client, settings, demo_staff):
    settings.PORTAIL_DEMO = False
    response = client.post(
        TOKEN,
        {"email": "gestion@example.org", "password": "gestion-demo"},
        content_type="application/json",
    )
    assert response.status_code == 401
    client.post(
        "/admin/login/",
        {"username": "gestion@example.org", "password": "gestion-demo", "next": "/admin/"},
    )
    assert SESSION_KEY not in client.session
    assert not client.login(email="gestion@example.org", password="gestion-demo")


def test_a_session_opened_in_demo_mode_ends_when_demo_mode_is_off(client, settings, demo_staff):
    assert client.login(email="gestion@example.org", password="gestion-demo")
    assert client.get("/mes-donnees/").status_code == 200
    settings.PORTAIL_DEMO = False
    response = client.get("/mes-donnees/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_demo_logins_work_in_demo_mode(client, demo_staff):
    response = client.post(LOGIN, {"email": "gestion@example.org", "password": "gestion-demo"})
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_other_accounts_still_log_in_outside_demo_mode(client, settings):
    settings.PORTAIL_DEMO = False
    factories.staff(email="agent@example.org", password="staff-pass-123")
    response = client.post(LOGIN, {"email": "agent@example.org", "password": "staff-pass-123"})
    assert response.status_code == 302


def test_the_deploy_check_reports_demo_logins_that_can_log_in(settings, demo_staff):
    settings.PORTAIL_DEMO = False
    assert CHECK_ID in deploy_errors()
    # Disabled, or without a usable password, they no longer count.
    User.objects.filter(pk=demo_staff.pk).update(is_active=False)
    assert CHECK_ID not in deploy_errors()
    User.objects.filter(pk=demo_staff.pk).update(is_active=True, password="!unusable")
    assert CHECK_ID not in deploy_errors()


def test_the_deploy_check_is_quiet_in_demo_mode_and_without_demo_logins(settings, demo_staff):
    assert CHECK_ID not in deploy_errors()
    settings.PORTAIL_DEMO = False
    User.objects.filter(pk=demo_staff.pk).delete()
    factories.staff(email="agent@example.org")
    assert CHECK_ID not in deploy_errors()


def test_check_deploy_fails_in_production_on_a_database_that_held_the_demo(tmp_path):
    """The real command, as an operator runs it, on a migrated database."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'portail.sqlite3'}"}
    migrated = run_portail("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    clean = run_portail("check", "--deploy", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    created = run_portail(
        "shell",
        "-c",
        "from portail.accounts.models import User; "
        "User.objects.create_user('gestion@example.org', 'gestion-demo', is_staff=True)",
        env=env,
    )
    assert created.returncode == 0, created.stderr
    result = run_portail("check", "--deploy", env=env)
    assert result.returncode != 0
    assert CHECK_ID in result.stderr
    assert "gestion@example.org" in result.stderr


def test_the_accounts_app_knows_every_demo_login():
    from portail.accounts.models import DEMO_LOGIN_EMAILS, normalise_email

    assert {normalise_email(email) for _who, email, _password in demo_logins()} == (
        DEMO_LOGIN_EMAILS
    )


def test_a_token_issued_in_demo_mode_stops_working_outside_it(settings, client, demo_staff):
    response = client.post(
        TOKEN,
        {"email": "gestion@example.org", "password": "gestion-demo"},
        content_type="application/json",
    )
    assert response.status_code == 201
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    assert client.get("/api/v1/staff/me", headers=headers).status_code == 200
    settings.PORTAIL_DEMO = False
    assert client.get("/api/v1/staff/me", headers=headers).status_code == 401
