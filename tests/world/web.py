"""The pages as a person reads and uses them: their text, the planning form's values, and a
browser for the live server.

`Browser` is a cookie-keeping HTTP client that fills forms with their CSRF token, as a
browser does; it talks to the live server only.
"""

import re
from dataclasses import dataclass, field
from html import unescape

import requests
from django.utils import translation

from portail.activities.models import Session
from portail.families.models import Child
from tests.world.commune import PASSWORD, World

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def text_of(html: str) -> str:
    """The page's text as read: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def fr(message: str, **values) -> str:
    with translation.override("fr"):
        text = translation.gettext(message)
    return text % values if values else text


def en(message: str, **values) -> str:
    with translation.override("en"):
        text = translation.gettext(message)
    return text % values if values else text


def change(action: str, child: Child, session: Session) -> str:
    """A value of the planning form's `change` field ("reserve" or "cancel")."""
    return f"{action}:{child.pk}:{session.pk}"


@dataclass
class Browser:
    base: str
    language: str = "en"
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self) -> None:
        self.session.cookies.set("portail_language", self.language)

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def get(self, path: str, **params) -> requests.Response:
        return self.session.get(self.url(path), params=params, allow_redirects=False, timeout=20)

    def post(self, path: str, data: dict, *, form_page: str | None = None) -> requests.Response:
        """POST `data` to `path` with the CSRF token of `form_page` (default: `path`)."""
        page = self.get(form_page or path)
        token = TOKEN_RE.search(page.text)
        assert token, f"no form with a CSRF token on {form_page or path}"
        return self.session.post(
            self.url(path),
            data={"csrfmiddlewaretoken": token[1], **data},
            headers={"Referer": self.url(form_page or path)},
            allow_redirects=False,
            timeout=20,
        )

    def login(self, email: str, password: str = PASSWORD) -> None:
        answer = self.post("/compte/connexion/", {"email": email, "password": password})
        assert answer.status_code == 302, answer.text

    def submit_days(self, fam: World, add=(), cancel=()) -> requests.Response:
        values = [change("reserve", kid, session) for kid, session in add]
        values += [change("cancel", kid, session) for kid, session in cancel]
        path = f"/planning/?week={fam.week}"
        answer = self.post(path, {"week": fam.week, "change": values})
        assert answer.status_code == 302, text_of(answer.text)
        return answer

    def basket(self) -> str:
        return self.get("/panier/").text

    def amount_shown(self) -> int:
        """The expected_due_cents the basket page's PAYER / OK form sends."""
        found = re.search(r'name="expected_due_cents" value="(\d+)"', self.basket())
        assert found, "the basket page has no PAYER / OK form"
        return int(found[1])

    def checkout(self, expected: int | None = None) -> requests.Response:
        expected = self.amount_shown() if expected is None else expected
        return self.post(
            "/panier/valider/", {"expected_due_cents": str(expected)}, form_page="/panier/"
        )
