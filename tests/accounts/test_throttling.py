"""Login throttling lives in the database: every process (and every client) sees it."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.utils import timezone

from portail.accounts import throttling
from portail.accounts.models import LoginFailure
from portail.accounts.services import LoginRefused, authenticate_throttled, client_ip
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/compte/connexion/"
PASSWORD = "secret-pass-123"
MAX = 5


def post_login(client, email, password):
    return client.post(LOGIN, {"email": email, "password": password})


def refusal_code(response) -> str | None:
    errors = response.context["form"].non_field_errors().as_data()
    return errors[0].code if errors else None


def fail(client, email, times):
    for _ in range(times):
        assert refusal_code(post_login(client, email, "wrong-password")) == "invalid_credentials"


def age_all_failures(minutes):
    """Move every stored attempt back in time (instead of sleeping)."""
    for row in LoginFailure.objects.all():
        row.created_at -= datetime.timedelta(minutes=minutes)
        row.save(update_fields=["created_at"])


def test_correct_password_is_refused_once_the_email_failed_too_often(client):
    factories.guardian(email="anne@example.org")
    fail(client, "anne@example.org", MAX)
    response = post_login(client, "anne@example.org", PASSWORD)
    assert refusal_code(response) == "throttled"
    assert "15" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_fewer_failures_than_the_limit_do_not_block(client):
    factories.guardian(email="anne@example.org")
    fail(client, "anne@example.org", MAX - 1)
    assert post_login(client, "anne@example.org", PASSWORD).status_code == 302


def test_the_service_says_throttled_with_the_minutes_left(rf):
    factories.guardian(email="anne@example.org")
    request = rf.post(LOGIN, REMOTE_ADDR="192.0.2.10")
    for _ in range(MAX):
        with pytest.raises(LoginRefused) as refused:
            authenticate_throttled(request, "anne@example.org", "wrong-password")
        assert refused.value.code == "invalid_credentials"
    age_all_failures(10)  # the oldest failure leaves the window in 5 minutes
    with pytest.raises(LoginRefused) as refused:
        authenticate_throttled(request, "anne@example.org", PASSWORD)
    assert refused.value.code == "throttled"
    assert "5 minutes" in refused.value.message


def test_the_block_ends_when_the_window_has_passed(client):
    factories.guardian(email="anne@example.org")
    fail(client, "anne@example.org", MAX)
    assert refusal_code(post_login(client, "anne@example.org", PASSWORD)) == "throttled"
    age_all_failures(16)
    response = post_login(client, "anne@example.org", PASSWORD)
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_refused_attempts_do_not_extend_the_block(client):
    factories.guardian(email="anne@example.org")
    fail(client, "anne@example.org", MAX)
    for _ in range(10):
        assert refusal_code(post_login(client, "anne@example.org", PASSWORD)) == "throttled"
    assert LoginFailure.objects.filter(email="anne@example.org").count() == MAX


def test_success_clears_that_emails_failures_only(client):
    factories.guardian(email="anne@example.org")
    fail(client, "anne@example.org", MAX - 1)
    fail(client, "bob@example.org", 2)
    assert post_login(client, "anne@example.org", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(email="anne@example.org").exists()
    assert LoginFailure.objects.filter(email="bob@example.org").count() == 2


def test_failures_are_rows_in_the_database_keyed_by_normalised_email_and_ip(client):
    post_login(client, "  Anne@Example.org ", "wrong-password")
    row = LoginFailure.objects.get()
    assert row.email == "anne@example.org"
    assert row.ip == "127.0.0.1"
    assert abs(row.created_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_the_block_holds_across_clients_and_addresses():
    """Two browsers from two addresses: as if served by two processes, they share the count."""
    factories.guardian(email="anne@example.org")
    first = Client(REMOTE_ADDR="198.51.100.1")
    second = Client(REMOTE_ADDR="203.0.113.7")
    fail(first, "anne@example.org", 3)
    fail(second, "anne@example.org", 2)
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {
        "198.51.100.1",
        "203.0.113.7",
    }
    assert refusal_code(post_login(first, "anne@example.org", PASSWORD)) == "throttled"
    assert refusal_code(post_login(second, "anne@example.org", PASSWORD)) == "throttled"


def test_one_address_failing_on_many_emails_is_blocked_for_every_email():
    factories.guardian(email="anne@example.org")
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    for n in range(4 * MAX):
        fail(attacker, f"guess{n}@example.org", 1)
    assert refusal_code(post_login(attacker, "anne@example.org", PASSWORD)) == "throttled"
    # Anne from her own address is not affected.
    assert (
        post_login(Client(REMOTE_ADDR="203.0.113.7"), "anne@example.org", PASSWORD).status_code
        == 302
    )


def test_old_rows_are_pruned_as_attempts_come_in(client):
    fail(client, "anne@example.org", 3)
    age_all_failures(60)
    fail(client, "bob@example.org", 1)
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["bob@example.org"]


def test_throttle_follows_the_settings(client, settings):
    settings.PORTAIL_LOGIN_MAX_FAILURES = 2
    settings.PORTAIL_LOGIN_WINDOW_MINUTES = 1
    factories.guardian(email="anne@example.org")
    fail(client, "anne@example.org", 2)
    assert refusal_code(post_login(client, "anne@example.org", PASSWORD)) == "throttled"
    age_all_failures(2)
    assert post_login(client, "anne@example.org", PASSWORD).status_code == 302


def test_password_reset_lifts_the_block(client):
    guardian = factories.guardian(email="anne@example.org")
    fail(client, "anne@example.org", MAX)
    throttling.clear_failures("ANNE@example.org")
    assert post_login(client, "anne@example.org", PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(guardian.user.pk)


def test_service_without_request_counts_by_email_only():
    factories.guardian(email="anne@example.org")
    for _ in range(MAX):
        with pytest.raises(LoginRefused):
            authenticate_throttled(None, "anne@example.org", "wrong-password")
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {None}
    with pytest.raises(LoginRefused) as refused:
        authenticate_throttled(None, "anne@example.org", PASSWORD)
    assert refused.value.code == "throttled"


def test_service_refuses_huge_and_empty_input_as_invalid():
    factories.guardian(email="anne@example.org")
    for email, password in [("", PASSWORD), ("anne@example.org", ""), ("a" * 10_000, "x" * 10_000)]:
        with pytest.raises(LoginRefused) as refused:
            authenticate_throttled(None, email, password)
        assert refused.value.code == "invalid_credentials"


def test_service_returns_a_user_ready_for_login():
    guardian = factories.guardian(email="anne@example.org")
    user = authenticate_throttled(None, "anne@example.org", PASSWORD)
    assert user == guardian.user
    assert user.backend == "django.contrib.auth.backends.ModelBackend"


def test_client_ip_reads_remote_addr_and_trusts_forwarding_only_when_told(settings):
    factory = RequestFactory()
    assert client_ip(None) is None
    assert client_ip(factory.get("/", REMOTE_ADDR="192.0.2.1")) == "192.0.2.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="not an address")) is None
    forwarded = factory.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44")
    assert client_ip(forwarded) == "10.0.0.1"
    settings.PORTAIL_TRUSTED_PROXY_COUNT = 1
    assert client_ip(forwarded) == "192.0.2.44"
    settings.PORTAIL_TRUSTED_PROXY_COUNT = 2
    assert client_ip(forwarded) == "6.6.6.6"
    settings.PORTAIL_TRUSTED_PROXY_COUNT = 3
    assert client_ip(forwarded) == "10.0.0.1"


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_never_check_more_passwords_than_the_limit():
    """Each attempt is written down before the count: a burst cannot slip past the limit."""
    import threading

    from django.db import connection

    factories.guardian(email="anne@example.org")
    outcomes: list[str] = []
    start = threading.Barrier(12)

    def attempt():
        try:
            start.wait()
            authenticate_throttled(None, "anne@example.org", "wrong-password")
        except LoginRefused as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(outcomes) == 12
    assert outcomes.count("invalid_credentials") <= MAX
    assert LoginFailure.objects.count() == outcomes.count("invalid_credentials")
