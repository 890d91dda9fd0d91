"""The service's journal: every back-office action with who did it, when and why, for
gestionnaires; filtered by kind and period; other roles refused."""

import datetime

from django.urls import reverse
from django.utils import timezone

from portail.backoffice import audit
from portail.backoffice.models import StaffActionKind
from tests.world.staff import client_for
from tests.world.web import text_of


def url(**query) -> str:
    from django.utils.http import urlencode

    return reverse("backoffice:journal") + ("?" + urlencode(query) if query else "")


def test_the_journal_lists_the_service_s_actions(db, town):
    audit.log_action(
        actor=town.gestionnaire,
        kind=StaffActionKind.CREDIT_ADJUSTED,
        summary="Avoir +3,70 €",
        household=town.martin,
        reason="Repas non servi",
    )
    audit.log_action(
        actor=town.gestionnaire,
        kind=StaffActionKind.SESSION_CLOSED,
        summary="Journée fermée",
        at=timezone.now() - datetime.timedelta(days=40),
    )
    response = client_for(town.gestionnaire, "en").get(url())
    assert response.status_code == 200
    text = " ".join(text_of(response.content.decode()).split())
    assert "2 actions" in text
    assert "Credit adjusted Avoir +3,70 € Repas non servi MARTIN" in text
    assert town.gestionnaire.email in text
    # Filtered: one kind, or a period.
    text = text_of(
        client_for(town.gestionnaire, "en").get(url(kind="session_closed")).content.decode()
    )
    assert "1 action" in text and "Journée fermée" in text and "Repas non servi" not in text
    today = timezone.localdate().isoformat()
    text = text_of(client_for(town.gestionnaire).get(url(start=today, end=today)).content.decode())
    assert "Repas non servi" in text and "Journée fermée" not in text


def test_a_bad_period_is_said_and_the_whole_journal_shown(db, town):
    response = client_for(town.gestionnaire, "en").get(url(start="2026-12-01", end="2026-11-01"))
    assert response.status_code == 400
    assert "The end of the period is before its start." in response.content.decode()


def test_only_gestionnaires_read_it(db, town):
    for user in (town.pointage, town.cuisine, town.parent):
        assert client_for(user, "en").get(url()).status_code == 403
