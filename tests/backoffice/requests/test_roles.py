"""Who may open the requests pages: gestionnaires only. Attendance agents and kitchen
accounts get 403 on every page and action (nothing changes), a guardian gets what every
back-office page gives guardians (403), anonymous visitors go to the login page; an
unknown request, a draft or a draft's document is 404 for staff."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from portail.procedures.models import Procedure, Request, RequestEvent, RequestStatus
from tests.world.procedures import request_in
from tests.world.staff import client_for

from .conftest import attach

pytestmark = pytest.mark.django_db
S = RequestStatus
ACTIONS = ["take", "assign", "message", "ask_more", "accept", "refuse", "waiting_list"]


def pages(request: Request, attachment_pk: int, procedure_pk: int) -> list[str]:
    return [
        reverse("backoffice:requests"),
        reverse("backoffice:request", kwargs={"pk": request.pk}),
        reverse("backoffice:request_attachment", kwargs={"pk": attachment_pk}),
        reverse("backoffice:procedures"),
        reverse("backoffice:procedure_edit", kwargs={"pk": procedure_pk}),
    ]


def action_url(request: Request) -> str:
    return reverse("backoffice:request_action", kwargs={"pk": request.pk})


def snapshot():
    return (
        list(Request.objects.order_by("pk").values()),
        RequestEvent.objects.count(),
        list(Procedure.objects.order_by("pk").values()),
    )


def post_every_action(client: Client, request: Request, procedure: Procedure) -> list[int]:
    answers = [
        client.post(
            action_url(request),
            {
                "action": action,
                f"{action}-message": "Bonjour",
                f"{action}-reason": "Hors délai",
                f"{action}-assignee": "",
            },
        ).status_code
        for action in ACTIONS
    ]
    answers.append(
        client.post(
            reverse("backoffice:procedure_edit", kwargs={"pk": procedure.pk}),
            {"title": "Fermée", "is_open": "", "description": "", "required_documents": ""},
        ).status_code
    )
    return answers


@pytest.fixture
def crèche(desk):
    request = request_in(desk, "early_childhood", S.SUBMITTED)
    attachment = attach(desk, request)
    mail.outbox = []
    return request, attachment


@pytest.mark.parametrize("role", ["pointage", "cuisine", "guardian"])
def test_other_roles_and_guardians_get_403_and_change_nothing(desk, crèche, role, request):
    user = desk.user if role == "guardian" else request.getfixturevalue(role)
    client = client_for(user, "en")
    req, attachment = crèche
    procedure = Procedure.objects.get(code="contact")
    before = snapshot()
    for url in pages(req, attachment.pk, procedure.pk):
        assert client.get(url).status_code == 403, url
    assert post_every_action(client, req, procedure) == [403] * (len(ACTIONS) + 1)
    assert snapshot() == before
    assert mail.outbox == []


def test_anonymous_visitors_go_to_the_login_page(desk, crèche):
    req, attachment = crèche
    procedure = Procedure.objects.get(code="contact")
    client = Client()
    login = reverse("accounts:login")
    before = snapshot()
    for url in [*pages(req, attachment.pk, procedure.pk), action_url(req)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login)
    for answer in post_every_action(client, req, procedure):
        assert answer == 302
    assert snapshot() == before


def test_a_gestionnaire_opens_every_page(desk, desk_client, crèche):
    req, attachment = crèche
    procedure = Procedure.objects.get(code="contact")
    for url in pages(req, attachment.pk, procedure.pk):
        assert desk_client.get(url).status_code == 200, url
    assert desk_client.get(action_url(req)).status_code == 405


def test_unknown_ids_and_drafts_are_404(desk, desk_client, crèche):
    draft = request_in(desk, "address_change", S.DRAFT)
    draft_document = attach(desk, draft)
    missing = 999_999
    for url in [
        reverse("backoffice:request", kwargs={"pk": missing}),
        reverse("backoffice:request", kwargs={"pk": draft.pk}),
        reverse("backoffice:request_attachment", kwargs={"pk": missing}),
        reverse("backoffice:request_attachment", kwargs={"pk": draft_document.pk}),
        reverse("backoffice:procedure_edit", kwargs={"pk": missing}),
        reverse("backoffice:request", kwargs={"pk": 10**20}),
        reverse("backoffice:request_attachment", kwargs={"pk": 10**20}),
        reverse("backoffice:procedure_edit", kwargs={"pk": 10**20}),
    ]:
        assert desk_client.get(url).status_code == 404, url
    before = snapshot()
    for pk in (missing, draft.pk):
        response = desk_client.post(
            reverse("backoffice:request_action", kwargs={"pk": pk}),
            {"action": "refuse", "refuse-reason": "Non"},
        )
        assert response.status_code == 404
    assert snapshot() == before
