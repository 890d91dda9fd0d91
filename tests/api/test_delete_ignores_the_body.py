"""DELETE /basket and DELETE /auth/token take no body: whatever is sent is ignored (no
400 or 415), and a token revoked with a text body is revoked."""

import pytest
from django.test import Client

from portail.api.models import ApiToken
from tests.api.conftest import bearer, get_token
from tests.api.document import document, operation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("not json", "text/plain"), ("{broken", "application/json"), ("[1, 2]", "application/json")],
)
def test_a_body_sent_with_delete_basket_is_ignored(guardian, body, content_type):
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))

    response = client.delete("/api/v1/basket", body, content_type=content_type)

    assert response.status_code == 404  # no open basket: the answer without any body
    assert response.json()["error"]["code"] == "not_found"


def test_delete_auth_token_with_a_text_body_revokes_the_token(guardian):
    token = get_token(Client(), guardian.user.email)
    client = Client(headers=bearer(token))

    response = client.delete("/api/v1/auth/token", "bye", content_type="text/plain")

    assert response.status_code == 204
    assert not ApiToken.objects.exists()
    assert client.get("/api/v1/household").status_code == 401


def test_the_document_gives_them_no_body_and_no_body_errors():
    doc = document()
    for path in ("/basket", "/auth/token"):
        delete = operation(doc, "DELETE", path)
        assert "requestBody" not in delete
        assert not {"400", "413", "415"} & set(delete["responses"]), path
