"""Who may open the démarches pages: the household's guardians. Anonymous visitors go to the
login page, staff get the "no household" page (like the other family pages), another
household's numbers and bad ids are 404, changes are POST only."""

import pytest
from django.test import Client
from django.urls import reverse

from portail.procedures.models import Request
from tests.world.procedures import another_household, request_in
from tests.world.staff import client_for

from .helpers import url

pytestmark = pytest.mark.django_db


def every_url(number: int) -> list[str]:
    return [
        url("list"),
        url("start", "contact"),
        url("detail", number),
        url("edit", number),
        url("submit", number),
        url("message", number),
        url("upload", number),
        url("attachment", number, 1),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(d):
    req = request_in(d, "contact", "draft")
    for path in every_url(req.number):
        response = Client().get(path)
        assert response.status_code in (302, 405), path
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), path
    response = Client().post(url("submit", req.number))
    assert response["Location"].startswith(reverse("accounts:login"))
    req.refresh_from_db()
    assert req.status == "draft"


def test_staff_get_the_no_household_page(d):
    req = request_in(d, "contact", "draft")
    staff = client_for(d.staff, "en")
    for path in (url("list"), url("start", "contact"), url("detail", req.number)):
        response = staff.get(path)
        assert response.status_code == 403, path
        assert "families/no_household.html" in [t.name for t in response.templates]
    assert staff.post(url("submit", req.number)).status_code == 403
    req.refresh_from_db()
    assert req.status == "draft"


def test_another_households_request_is_404_everywhere(d):
    req = request_in(d, "contact", "draft")
    _household, stranger = another_household()
    other = client_for(stranger, "en")
    for path in (url("detail", req.number), url("edit", req.number)):
        assert other.get(path).status_code == 404, path
    for path in (url("edit", req.number), url("submit", req.number), url("message", req.number)):
        assert other.post(path, {"text": "x", "action": "submit"}).status_code == 404, path
    req.refresh_from_db()
    assert req.status == "draft"
    assert Request.objects.count() == 1


def test_unknown_numbers_are_404(parent):
    assert parent.get(url("detail", 999999)).status_code == 404
    assert parent.get("/demarches/abc/").status_code == 404
    assert parent.post(url("submit", 999999)).status_code == 404


def test_changes_are_post_only(d, parent):
    req = request_in(d, "contact", "draft")
    for name in ("submit", "message", "upload"):
        assert parent.get(url(name, req.number)).status_code == 405
    req.refresh_from_db()
    assert req.status == "draft"


def test_changes_need_the_csrf_token(d):
    req = request_in(d, "contact", "draft")
    client = Client(enforce_csrf_checks=True)
    client.force_login(d.user)
    assert client.post(url("submit", req.number)).status_code == 403
    req.refresh_from_db()
    assert req.status == "draft"
