"""Look-alike addresses share the account's login budget (issue 12, finding 1).

PostgreSQL's UPPER() folds "ı" (dotless i) to "I" and "ſ" (long s) to "S", so an
`email__iexact` lookup found gestion@example.org for "gestıon@example.org", while the
throttle counted failures under Python's lower() of the typed text: every look-alike
spelling opened the same account with a fresh budget. Addresses are now stored and
looked up in one normalised form (accounts.models.normalise_email), and the throttle
counts the failures of the account found.
"""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from portail.accounts.models import LoginFailure, User, normalise_email
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
TOKEN = "/api/v1/auth/token"
PASSWORD = "secret-pass-123"
MAX = 5
# Each folds to "GESTION@EXAMPLE.ORG" under PostgreSQL's UPPER().
LOOKALIKES = [
    "gestıon@example.org",  # U+0131 dotless i
    "geſtion@example.org",  # U+017F long s
    "GEſTION@EXAMPLE.ORG",
]


@pytest.fixture(autouse=True)
def _login_settings(settings):
    settings.PORTAIL_LOGIN_MAX_FAILURES = MAX
    settings.PORTAIL_LOGIN_WINDOW_MINUTES = 15


@pytest.fixture
def account():
    return factories.staff(email="gestion@example.org", password=PASSWORD)


def refusal_code(response) -> str | None:
    if response.status_code == 302:
        return None
    errors = response.context["form"].non_field_errors().as_data()
    return errors[0].code if errors else None


def spend_budget(client) -> None:
    for _ in range(MAX):
        response = client.post(LOGIN, {"email": "gestion@example.org", "password": "wrong"})
        assert refusal_code(response) == "invalid_credentials"


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_a_lookalike_address_does_not_open_a_throttled_account(client, account, lookalike):
    spend_budget(client)
    response = client.post(LOGIN, {"email": lookalike, "password": PASSWORD})
    assert refusal_code(response) in {"throttled", "invalid_credentials"}
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("lookalike", LOOKALIKES)
def test_the_api_token_endpoint_refuses_a_lookalike_of_a_throttled_account(
    client, account, lookalike
):
    spend_budget(client)
    response = client.post(
        TOKEN, {"email": lookalike, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code in {401, 429}
    assert response.json()["error"]["code"] in {"throttled", "invalid_credentials"}


def test_failures_under_any_spelling_of_the_account_count_against_the_account(client, account):
    spellings = ["Gestion@Example.org", "geſtion@example.org", "GESTION@example.org"]
    for email in spellings + ["GEſTION@EXAMPLE.ORG", " gestion@example.org "]:
        response = client.post(LOGIN, {"email": email, "password": "wrong"})
        assert refusal_code(response) == "invalid_credentials"
    assert LoginFailure.objects.filter(user=account).count() == MAX
    assert set(LoginFailure.objects.values_list("email", flat=True)) == {"gestion@example.org"}
    response = client.post(LOGIN, {"email": "gestion@example.org", "password": PASSWORD})
    assert refusal_code(response) == "throttled"


def test_a_spelling_that_folds_only_in_postgresql_is_another_address(client, account):
    """ "ı" is not "i" for Python nor for the exact lookup: no account, whatever the database."""
    response = client.post(LOGIN, {"email": "gestıon@example.org", "password": PASSWORD})
    assert refusal_code(response) == "invalid_credentials"
    assert not LoginFailure.objects.filter(user=account).exists()
    response = client.post(LOGIN, {"email": "gestion@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_addresses_are_stored_in_the_normalised_form():
    user = User.objects.create_user("  Geſtion@EXAMPLE.org ", password=PASSWORD)
    assert user.email == "gestion@example.org"
    user.email = "ＡＮＮＥ@Example.ORG"
    user.save()
    user.refresh_from_db()
    assert user.email == "anne@example.org"
    assert User.objects.get_by_natural_key("ANNE@example.org") == user


def test_another_spelling_of_a_taken_address_is_refused_by_validation(account):
    """The admin's forms validate the model: the normalised address is the one checked."""
    other = factories.staff(email="other@example.org")
    other.email = "Geſtion@Example.org"
    with pytest.raises(ValidationError) as refused:
        other.full_clean()
    assert "email" in refused.value.error_dict


@given(st.text(max_size=40))
def test_normalising_twice_changes_nothing(text):
    assert normalise_email(normalise_email(text)) == normalise_email(text)


def test_the_data_migration_normalises_existing_addresses_and_keeps_collisions():
    kept = factories.staff(email="anne@example.org")
    mixed = factories.staff(email="bob@example.org")
    clash = factories.staff(email="other@example.org")
    # Rows as an older version could leave them (bypassing save()).
    User.objects.filter(pk=mixed.pk).update(email="Bob@Example.ORG")
    User.objects.filter(pk=clash.pk).update(email="ANNE@example.org")
    migration = importlib.import_module("portail.accounts.migrations.0003_normalise_emails")

    migration.normalise_emails(apps, None)

    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[kept.pk] == "anne@example.org"
    assert emails[mixed.pk] == "bob@example.org"
    assert emails[clash.pk] == "ANNE@example.org"  # left for staff to resolve, not merged
