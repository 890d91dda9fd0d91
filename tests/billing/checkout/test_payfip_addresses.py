"""PayFiP's two addresses: the notification (server to server) and the browser's return.

Both receive only an idOp, unsigned; neither trusts it beyond asking PayFiP. The
notification answers a plain 200 (400 for a missing or malformed idOp) whatever
happens, sets no cookie and tells nothing.
"""

import datetime
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portail.billing.models import Payment, PaymentState
from portail.billing.payments import NOTIFY_PATH, RETURN_PATH
from portail.reservations.models import Basket, BasketStatus
from tests.world.commune import seed_family
from tests.world.web import en, text_of

pytestmark = pytest.mark.django_db

IDOP = "4b0eb5b0-b335-11e2-9219-001fe256bdfe"


def pending_payment(fam, idop: str = IDOP, **fields) -> Payment:
    """A payment row as checkout leaves it (its basket awaiting payment)."""
    basket = Basket.objects.create(
        household=fam.household,
        reference=f"PF2026{fam.household.pk:06d}",
        status=BasketStatus.AWAITING_PAYMENT,
    )
    values = {
        "basket": basket,
        "household": fam.household,
        "attempt": 1,
        "refdet": f"{basket.reference}P1",
        "idop": idop,
        "state": PaymentState.PENDING,
        "amount_cents": 1480,
        "reservations_cents": 1480,
        "cancellations_cents": 0,
        "credit_applied_cents": 0,
        "credit_hold_cents": 0,
        "numcli": "012345",
        "exer": 2026,
        "mel": fam.user.email,
        "channel": "web",
    }
    values.update(fields)
    return Payment.objects.create(**values)


def test_the_addresses_are_exactly_the_ones_sent_to_payfip():
    assert reverse("payfip:notify") == NOTIFY_PATH == "/paiement/notification/"
    assert reverse("payfip:return") == RETURN_PATH == "/paiement/retour/"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["idOp", "idop", "IDOP", "IdOp"])
def test_notification_accepts_get_or_post_and_any_letter_case(settings, method, name):
    settings.PAYFIP_WS_URL = "http://127.0.0.1:9/unreachable"  # PayFiP does not answer
    settings.PAYFIP_TIMEOUT_SECONDS = 1
    fam = seed_family()
    payment = pending_payment(fam)
    client = Client(enforce_csrf_checks=True)  # PayFiP has no CSRF token
    response = getattr(client, method)(NOTIFY_PATH, {name: IDOP})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"OK"
    assert not response.cookies  # no session, no CSRF cookie
    payment.refresh_from_db()
    # PayFiP unreachable: nothing confirmed, the payment still pending, its error kept.
    assert (payment.state, payment.error_code) == (PaymentState.PENDING, "unavailable")


@pytest.mark.parametrize(
    "data",
    [{}, {"idOp": ""}, {"idOp": "<script>"}, {"idOp": "a" * 65}, {"idop": "1 2"}, {"other": IDOP}],
)
def test_notification_without_a_valid_idop_is_a_400_that_tells_nothing(data):
    response = Client(enforce_csrf_checks=True).post(NOTIFY_PATH, data)
    assert response.status_code == 400
    assert response.content == b"Bad request"
    assert not response.cookies


def test_notification_for_an_unknown_idop_answers_like_any_other():
    fam = seed_family()
    pending_payment(fam)
    unknown = Client().post(NOTIFY_PATH, {"idOp": "00000000-0000-0000-0000-000000000000"})
    assert (unknown.status_code, unknown.content) == (200, b"OK")
    assert Payment.objects.get().state == PaymentState.PENDING


def test_notification_refuses_other_methods():
    assert Client().put(NOTIFY_PATH, {"idOp": IDOP}).status_code == 405


def test_notification_for_a_payment_already_final_changes_nothing():
    fam = seed_family()
    pending_payment(fam, state=PaymentState.MISMATCH, settled_at=timezone.now())
    response = Client().get(NOTIFY_PATH, {"idop": IDOP})
    assert (response.status_code, response.content) == (200, b"OK")
    assert Payment.objects.get().state == PaymentState.MISMATCH


def test_return_page_needs_a_login_then_shows_the_payment(client, settings):
    settings.PAYFIP_WS_URL = "http://127.0.0.1:9/unreachable"
    settings.PAYFIP_TIMEOUT_SECONDS = 1
    fam = seed_family()
    pending_payment(fam)
    url = f"{RETURN_PATH}?idop={IDOP}"
    response = client.get(url)
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('accounts:login')}?{urlencode({'next': url}, safe='/')}"
    )
    client.force_login(fam.user)
    client.cookies["portail_language"] = "en"
    page = client.get(url)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    words = text_of(page.content.decode())
    # PayFiP unreachable: still being processed, the page checks again by itself.
    assert "Your payment is being processed by PayFiP" in words
    assert '<meta http-equiv="refresh" content="5">' in page.content.decode()


@pytest.mark.parametrize(
    ("state", "resultrans", "words"),
    [
        (PaymentState.REFUSED, "R", "Your payment was refused"),
        (PaymentState.ABANDONED, "A", "You left the payment page without paying"),
        (PaymentState.PENDING, "A", "You left the payment page without paying"),
        (PaymentState.EXPIRED, "", "This payment was not completed"),
        (PaymentState.FAILED, "", "This payment was not completed"),
        (PaymentState.MISMATCH, "P", "This payment needs a check by the service"),
    ],
)
def test_return_page_tells_each_outcome_in_plain_words(client, settings, state, resultrans, words):
    settings.PAYFIP_WS_URL = "http://127.0.0.1:9/unreachable"
    settings.PAYFIP_TIMEOUT_SECONDS = 1
    fam = seed_family()
    pending_payment(
        fam,
        state=state,
        resultrans=resultrans,
        abandon_reported_at=timezone.now() if resultrans == "A" else None,
        # A closed one is re-checked with PayFiP (unreachable here: nothing changes).
        created_at=timezone.now()
        - (datetime.timedelta(days=3) if state != PaymentState.PENDING else datetime.timedelta()),
    )
    client.force_login(fam.user)
    client.cookies["portail_language"] = "en"
    page = client.get(f"{RETURN_PATH}?idop={IDOP}").content.decode()
    assert words in text_of(page)
    assert 'http-equiv="refresh"' not in page


def test_return_page_of_another_household_is_neutral(client, settings):
    settings.PAYFIP_WS_URL = "http://127.0.0.1:9/unreachable"
    settings.PAYFIP_TIMEOUT_SECONDS = 1
    fam = seed_family()
    payment = pending_payment(fam, state=PaymentState.REFUSED, resultrans="R")
    other = seed_family(names=("Zoé",), household_name="VOISINS")
    client.force_login(other.user)
    client.cookies["portail_language"] = "en"
    mine = text_of(client.get(f"{RETURN_PATH}?idop={IDOP}").content.decode())
    assert "This payment cannot be shown here." in mine
    assert payment.refdet not in mine and "refused" not in mine
    for query in ("", "?idop=", "?idop=<b>", "?idop=00000000-0000-0000-0000-000000000000"):
        assert text_of(client.get(RETURN_PATH + query).content.decode()) == mine


def test_staff_without_a_household_sees_the_neutral_page(client):
    from tests import factories

    fam = seed_family()
    pending_payment(fam, state=PaymentState.REFUSED, resultrans="R")
    client.force_login(factories.staff())
    client.cookies["portail_language"] = "en"
    page = text_of(client.get(f"{RETURN_PATH}?idop={IDOP}").content.decode())
    assert en("This payment cannot be shown here.") in page
