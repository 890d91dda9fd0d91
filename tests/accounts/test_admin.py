"""Staff manage logins in the admin by e-mail, and send activation links from the list."""

import pytest
from django.core import mail
from django.urls import reverse

from portail.accounts.models import LoginFailure, User
from portail.families.models import Document, Guardian
from tests import factories
from tests.accounts.helpers import link_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(factories.staff(is_superuser=True))
    return client


def test_user_list_shows_email_name_staff_and_active(admin_client):
    factories.guardian(email="anne@example.org", first_name="Anne", last_name="Martin")
    response = admin_client.get(reverse("admin:accounts_user_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "anne@example.org" in html
    assert "Martin" in html
    assert "column-is_staff" in html
    assert "column-is_active" in html


def test_staff_create_a_user_without_a_password(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Nouveau@Example.org",
            "first_name": "Léa",
            "last_name": "Roux",
            "language": "fr",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouveau@example.org")
    assert not user.has_usable_password()
    assert not user.is_staff


def test_creating_an_existing_address_is_refused(admin_client):
    factories.guardian(email="anne@example.org")
    response = admin_client.post(
        reverse("admin:accounts_user_add"), {"email": "ANNE@example.org", "language": "fr"}
    )
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="anne@example.org").count() == 1


def test_user_change_page_opens(admin_client):
    guardian = factories.guardian()
    response = admin_client.get(reverse("admin:accounts_user_change", args=[guardian.user.pk]))
    assert response.status_code == 200


def test_action_sends_the_activation_link_to_selected_active_users(admin_client, client):
    household = factories.household()
    waiting = User.objects.create_user(email="nouveau@example.org")
    Guardian.objects.create(user=waiting, household=household)
    gone = factories.guardian(email="gone@example.org", is_active=False).user

    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_activation", "_selected_action": [waiting.pk, gone.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["nouveau@example.org"]]
    assert Document.objects.get().kind == Document.Kind.ACTIVATION
    messages = [str(m) for m in response.context["messages"]]
    assert any("1" in m for m in messages)
    assert len(messages) == 2  # sent, and skipped the disabled one

    # The link works for the new user.
    admin_client.logout()
    opened = admin_client.get(link_path(mail.outbox[0]))
    assert opened.status_code == 302


def test_staff_can_lift_a_throttle_by_deleting_failures(admin_client):
    LoginFailure.objects.create(email="anne@example.org", ip="192.0.2.1")
    changelist = reverse("admin:accounts_loginfailure_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(reverse("admin:accounts_loginfailure_add")).status_code == 403
