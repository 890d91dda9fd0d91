"""Refusals and unknown pages are told in plain words, inside the portal's layout."""

import pytest

from portail.backoffice.permissions import grant_role
from tests import factories


@pytest.mark.django_db
def test_a_staff_member_without_the_role_gets_a_readable_refusal(client):
    agent = factories.staff(email="agent@example.org")
    grant_role(agent, "pointage")
    client.force_login(agent)
    response = client.get("/gestion/paiements/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_page_gets_the_portal_404(client, settings):
    settings.DEBUG = False
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
