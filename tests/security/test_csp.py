"""Every response carries a Content-Security-Policy: scripts from the portal only, never
inline; no framing; forms go to the portal or to PayFiP's payment page only."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import portail
from portail.payfip.client import payment_page_url
from tests import factories

pytestmark = pytest.mark.django_db

IDOP = "a1b2c3d4-e5f6-4789-abcd-ef0123456789"


def policy_of(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.mark.parametrize(
    "path",
    [
        "/compte/connexion/",  # an HTML page
        "/",  # a redirect to the login page
        "/page-qui-n-existe-pas/",  # the 404 page
        "/api/v1/openapi.json",  # JSON
        "/api/v1/household",  # a JSON error
    ],
)
def test_every_response_has_the_policy(client, path):
    policy = policy_of(client.get(path))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"][0] == "'self'"
    assert "'unsafe-eval'" not in " ".join(sum(policy.values(), []))


def test_pages_of_a_signed_in_parent_have_it_too(client):
    guardian = factories.guardian()
    client.force_login(guardian.user)

    response = client.get("/mes-donnees/")

    assert response.status_code == 200
    assert policy_of(response)["script-src"] == ["'self'"]


def test_form_action_allows_payfips_payment_page_and_nothing_else(client, settings):
    settings.PAYFIP_WS_URL = "https://www.payfip.gouv.fr/tpa/services/securite"
    settings.PAYFIP_PAYMENT_URL = "https://www.payfip.gouv.fr/tpa/paiementws.web"
    settings.PORTAIL_BASE_URL = "https://portail.example.org"

    policy = policy_of(client.get("/compte/connexion/"))

    # Where the PAYER form's answer sends the browser (billing.views.checkout_view).
    assert origin(payment_page_url(IDOP)) == "https://www.payfip.gouv.fr"
    assert policy["form-action"] == [
        "'self'",
        "https://www.payfip.gouv.fr",
        "https://portail.example.org",
    ]


def test_form_action_allows_the_simulators_page_in_demo_mode(client, settings):
    settings.PAYFIP_WS_URL = ""
    settings.PAYFIP_PAYMENT_URL = ""
    settings.PORTAIL_BASE_URL = "http://127.0.0.1:8001"

    policy = policy_of(client.get("/compte/connexion/"))

    assert origin(payment_page_url(IDOP)) == "http://127.0.0.1:8001"
    assert policy["form-action"] == ["'self'", "http://127.0.0.1:8001"]


def test_a_pdf_keeps_only_frame_ancestors(client):
    # Chrome's PDF viewer is a plugin: object-src 'none' or default-src would blank it.
    guardian = factories.guardian()
    child = factories.child(guardian.household)
    enrolment = factories.enrolment(child, factories.activity())
    client.force_login(guardian.user)

    response = client.get(f"/api/v1/enrolments/{enrolment.pk}/recap.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"


TEMPLATES = sorted(Path(portail.__file__).parent.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def test_the_templates_have_no_inline_script_nor_event_handler():
    assert len(TEMPLATES) > 50
    offenders = []
    for template in TEMPLATES:
        text = template.read_text()
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text) or "javascript:" in text:
            offenders.append(str(template.relative_to(Path(portail.__file__).parent)))

    assert offenders == []
