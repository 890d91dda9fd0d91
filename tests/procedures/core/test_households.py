"""Another household's request looks exactly like an unknown one, to every family
service; a login acts only for its own household."""

import pytest

from portail.procedures import services
from portail.procedures.models import Request
from portail.procedures.statuses import RequestRefused
from tests.world.procedures import WEB, another_household, desk, request_in
from tests.world.uploads import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def d():
    return desk()


def test_another_household_cannot_touch_a_request(d, private_dir):
    request = request_in(d, "contact", "needs_info")
    household, user = another_household()
    attempts = [
        lambda: services.update_draft(household, request.pk, {}, actor=user, channel=WEB),
        lambda: services.submit(household, request.pk, actor=user, channel=WEB),
        lambda: services.add_message(household, request.pk, "Bonjour", actor=user, channel=WEB),
        lambda: services.add_attachment(
            household, request.pk, upload("a.pdf", pdf_bytes()), actor=user, channel=WEB
        ),
    ]
    for attempt in attempts:
        with pytest.raises(RequestRefused) as refused:
            attempt()
        assert refused.value.code == "not_found"
        assert refused.value.message == "This request does not exist."
    with pytest.raises(RequestRefused) as refused:
        services.submit(household, 999999, actor=user, channel=WEB)
    assert refused.value.code == "not_found"
    request.refresh_from_db()
    assert request.status == "needs_info"
    assert request.events.count() == 3
    assert request.attachments.count() == 0
    assert list(private_dir.rglob("*.pdf")) == []


def test_a_login_acts_only_for_its_own_household(d):
    request = request_in(d, "contact", "draft")
    _household, stranger = another_household()
    with pytest.raises(RequestRefused) as refused:
        services.submit(d.household, request.pk, actor=stranger, channel=WEB)
    assert refused.value.code == "forbidden"
    with pytest.raises(RequestRefused):
        services.create_draft(d.household, "contact", {}, actor=stranger, channel=WEB)
    assert Request.objects.get(pk=request.pk).status == "draft"
