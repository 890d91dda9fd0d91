"""Who may open which back-office page and endpoint: gestionnaire, attendance agent,
kitchen, parents, staff without a role, anonymous visitors."""

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from portail.backoffice import permissions
from portail.backoffice.permissions import (
    CUISINE,
    GESTIONNAIRE,
    POINTAGE,
    can_record_attendance,
    can_see_money,
    grant_role,
    sites_for,
    staff_role,
)
from portail.billing.models import CreditEntry
from portail.families.models import Household
from portail.reservations.models import Basket
from tests import factories
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def backoffice_urls(household_id: int, guardian_id: int) -> list[tuple[str, tuple[str, ...]]]:
    """Every page of /gestion/ with the roles its view allows (from require_role)."""
    resolver = get_resolver()
    urls = []
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) != "backoffice":
            continue
        for sub in pattern.url_patterns:
            assert isinstance(sub, URLPattern)
            kwargs = {}
            if "<int:pk>" in str(sub.pattern):
                kwargs["pk"] = household_id
            if "<int:guardian_pk>" in str(sub.pattern):
                kwargs["guardian_pk"] = guardian_id
            roles = getattr(sub.callback, "staff_roles", None)
            urls.append((reverse(f"backoffice:{sub.name}", kwargs=kwargs), roles))
    return urls


API_STAFF_POSTS = [
    ("/api/v1/staff/households", {"name": "X", "guardians": []}),
    ("/api/v1/staff/households/{id}/basket", {"add": []}),
    ("/api/v1/staff/households/{id}/credits", {"amount_cents": 500, "reason": "Geste"}),
]


def test_every_backoffice_page_declares_its_roles(fam):
    urls = backoffice_urls(fam.household.pk, fam.user.guardian.pk)
    assert len(urls) >= 12
    for url, roles in urls:
        assert roles, f"{url} is not decorated with permissions.require_role"
        assert set(roles) <= set(permissions.ALL_ROLES)


def test_a_parent_reaches_no_staff_page_nor_endpoint(fam):
    client = client_for(fam.user)
    for url, _roles in backoffice_urls(fam.household.pk, fam.user.guardian.pk):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code in (403, 405), url
    for url, body in API_STAFF_POSTS:
        response = client.post(
            url.format(id=fam.household.pk), body, content_type="application/json"
        )
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "permission_denied"
    assert not CreditEntry.objects.exists()
    assert Household.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login_page(fam):
    client = Client()
    for url, _roles in backoffice_urls(fam.household.pk, fam.user.guardian.pk):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post("/api/v1/staff/households", {}, content_type="application/json")
    assert response.status_code == 401


def test_staff_without_a_role_gets_nothing_but_a_superuser_is_gestionnaire(fam):
    plain = factories.staff()
    assert staff_role(plain) is None
    assert client_for(plain).get(reverse("backoffice:index")).status_code == 403
    boss = factories.staff(is_superuser=True)
    assert staff_role(boss) == GESTIONNAIRE
    assert client_for(boss).get(reverse("backoffice:families")).status_code == 200


def test_a_role_needs_an_active_staff_login(fam):
    profile = grant_role(fam.user, POINTAGE)
    fam.user.is_staff = False
    fam.user.save()
    fam.user.refresh_from_db()
    assert profile.role == POINTAGE and staff_role(fam.user) is None
    agent = factories.staff()
    grant_role(agent, GESTIONNAIRE)
    agent.is_active = False
    assert staff_role(agent) is None


def test_an_attendance_agent_sees_no_money_and_no_family(fam, pointage):
    client = client_for(pointage)
    assert client.get(reverse("backoffice:index")).status_code == 200
    allowed = [
        url
        for url, roles in backoffice_urls(fam.household.pk, fam.user.guardian.pk)
        if POINTAGE in roles
    ]
    # Part A's pages (families, bookings, credit, counter payments) are all money pages.
    for url, roles in backoffice_urls(fam.household.pk, fam.user.guardian.pk):
        if url.startswith("/gestion/familles/"):
            assert POINTAGE not in roles
            assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("backoffice:household_credit", kwargs={"pk": fam.household.pk}),
        {"credit-amount": "10", "credit-reason": "Geste"},
    )
    assert response.status_code == 403
    for url, body in API_STAFF_POSTS:
        response = client.post(
            url.format(id=fam.household.pk), body, content_type="application/json"
        )
        assert response.status_code == 403, url
    assert not CreditEntry.objects.exists()
    assert not can_see_money(pointage)
    assert reverse("backoffice:index") in allowed
    home = client.get(reverse("backoffice:index")).content.decode()
    assert reverse("backoffice:families") not in home


def test_an_attendance_agent_works_only_on_its_sites(fam, pointage):
    other_site = factories.site()
    assert list(sites_for(pointage)) == [fam.activity.site]
    assert can_record_attendance(pointage, fam.activity.site)
    assert not can_record_attendance(pointage, other_site)


def test_a_kitchen_account_only_reads(fam, cuisine):
    client = client_for(cuisine)
    assert client.get(reverse("backoffice:index")).status_code == 200
    for url, roles in backoffice_urls(fam.household.pk, fam.user.guardian.pk):
        if CUISINE not in roles:
            assert client.get(url).status_code == 403, url
        assert client.post(url).status_code in (403, 405), url
    for url, body in API_STAFF_POSTS:
        response = client.post(
            url.format(id=fam.household.pk), body, content_type="application/json"
        )
        assert response.status_code == 403, url
    assert not can_see_money(cuisine)
    assert not can_record_attendance(cuisine, fam.activity.site)
    assert set(sites_for(cuisine)) == {fam.activity.site}
    assert not Basket.objects.exists()


def test_the_gestionnaire_opens_every_page(fam, gestionnaire):
    client = client_for(gestionnaire)
    for url, _roles in backoffice_urls(fam.household.pk, fam.user.guardian.pk):
        response = client.get(url)
        if url == "/gestion/" or url.startswith("/gestion/familles/"):
            assert response.status_code in (200, 405), url
        else:  # part B's pages take other objects' ids: only the role check matters here
            assert response.status_code != 403, url
    assert can_see_money(gestionnaire)
    assert can_record_attendance(gestionnaire, factories.site())


def test_grant_role_is_idempotent_and_replaces_the_sites(fam):
    user = factories.staff()
    first = factories.site()
    grant_role(user, POINTAGE, sites=[first])
    grant_role(user, POINTAGE, sites=[fam.activity.site])
    assert list(sites_for(user)) == [fam.activity.site]
    grant_role(user, CUISINE)
    assert staff_role(user) == CUISINE
    with pytest.raises(ValueError):
        grant_role(user, "director")
