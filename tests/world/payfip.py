"""The PayFiP simulator served by the live server: its URLs, a browser-like use of its
payment page (the `simulator` fixture, tests/conftest.py, gives one), and a valid payment
request."""

from __future__ import annotations

import re
from dataclasses import dataclass

import requests

from portail.payfip.client import PaymentRequest

SOAP_PATH = "/payfip-simulateur/tpa/services/securite"
PAGE_PATH = "/payfip-simulateur/tpa/paiementws.web"
SINK_PATH = "/payfip-simulateur/recepteur-test/"


@dataclass
class Simulator:
    """URLs of the live simulator and a browser-like way to use its payment page."""

    base: str

    @property
    def soap_url(self) -> str:
        return self.base + SOAP_PATH

    @property
    def page_url(self) -> str:
        return self.base + PAGE_PATH

    @property
    def sink_url(self) -> str:
        return self.base + SINK_PATH

    @property
    def redirect_url(self) -> str:
        return self.base + "/retour-paiement/"

    def open_page(self, idop: str, session: requests.Session | None = None) -> requests.Response:
        session = session or requests.Session()
        return session.get(self.page_url, params={"idop": idop}, timeout=10)

    def submit(
        self,
        idop: str,
        *,
        action: str = "pay",
        outcome: str = "P",
        notification: str = "",
        language: str = "fr",
        **card: str,
    ) -> requests.Response:
        """Open the page like a browser, then post its form (CSRF token included)."""
        session = requests.Session()
        session.cookies.set("portail_language", language)
        page = self.open_page(idop, session)
        assert page.status_code == 200, page.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "the payment page has a CSRF-protected form"
        data = {
            "csrfmiddlewaretoken": token[1],
            "idop": idop,
            "action": action,
            "card_number": "4970 1012 3456 7893",
            "expiry": "12/39",
            "cvv": "123",
            "outcome": outcome,
            "notification": notification,
        }
        data.update(card)
        return session.post(
            self.page_url, params={"idop": idop}, data=data, allow_redirects=False, timeout=15
        )


def payment_request(**changes) -> PaymentRequest:
    values = {
        "exer": 2025,
        "mel": "parent@example.org",
        "montant_cents": 1480,
        "objet": "Cantine Malves semaine 12",
        "refdet": "PF2025000123",
    }
    values.update(changes)
    return PaymentRequest(**values)
