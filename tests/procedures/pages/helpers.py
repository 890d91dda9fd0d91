"""What the démarches' page tests share: the page's text, a request's URLs, a POST of a
procedure's form."""

from django.urls import reverse

from tests.world.web import text_of


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return text_of(response.content.decode())


def url(name: str, *args) -> str:
    return reverse(f"procedures:{name}", args=args)


def start_url(code: str) -> str:
    return reverse("procedures:start", args=[code])


def with_action(data: dict, action: str) -> dict:
    return {**data, "action": action}
