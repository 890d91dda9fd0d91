"""The simulator's payment page: what it shows, its card form, once only, 15 minutes."""

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.utils import timezone, translation
from django.utils.translation import gettext

from portail.payfip import client
from portail.payfip_simulator.models import SimulatedNotification, SimulatedOperation
from tests.world.payfip import payment_request

pytestmark = pytest.mark.django_db(transaction=True)


def create(simulator, **changes) -> str:
    return client.create_payment(
        payment_request(**changes), urlnotif=simulator.sink_url, urlredirect=simulator.redirect_url
    )


def test_the_page_shows_the_debt_the_amount_and_the_email_in_payfip_words(simulator):
    idop = create(simulator, montant_cents=1480, refdet="PF2025000123")
    page = simulator.open_page(idop)
    assert page.status_code == 200
    assert 'lang="fr"' in page.text
    with translation.override("fr"):
        for words in ("Debt reference", "Amount due", "Payer's e-mail address"):
            assert gettext(words) in page.text
        assert gettext("Pay by bank card") in page.text
    assert "PF2025000123" in page.text
    assert "14,80\u00a0€" in page.text
    assert "parent@example.org" in page.text
    for label in ('for="id_card_number"', 'for="id_expiry"', 'for="id_cvv"'):
        assert label in page.text
    assert 'name="action" value="pay"' in page.text
    assert 'name="action" value="abandon"' in page.text
    assert SimulatedOperation.objects.get(idop=idop).opened_at is not None


def test_paying_redirects_the_browser_to_urlredirect_with_the_idop(simulator):
    idop = create(simulator)
    answer = simulator.submit(idop, outcome="P")
    assert answer.status_code == 302
    location = urlsplit(answer.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == simulator.redirect_url
    assert parse_qs(location.query) == {"idop": [idop]}


def test_urlredirect_with_a_query_keeps_it(simulator):
    idop = client.create_payment(
        payment_request(), urlnotif=simulator.sink_url, urlredirect=simulator.redirect_url + "?a=1"
    )
    answer = simulator.submit(idop)
    assert answer.headers["Location"] == f"{simulator.redirect_url}?a=1&idop={idop}"


def test_an_idop_can_be_used_once(simulator):
    idop = create(simulator)
    assert simulator.submit(idop, outcome="R").status_code == 302
    again = simulator.open_page(idop)
    assert again.status_code == 409
    assert "P3" in again.text
    assert 'name="card_number"' not in again.text
    operation = SimulatedOperation.objects.get(idop=idop)
    assert operation.resultrans == "R"
    assert SimulatedNotification.objects.filter(operation=operation).count() == 1


def test_a_second_submission_of_an_open_page_does_not_count(simulator):
    """Two tabs: the second POST finds the idOp used and changes nothing."""
    idop = create(simulator)
    session = requests.Session()
    page = simulator.open_page(idop, session)
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    data = {
        "csrfmiddlewaretoken": token,
        "idop": idop,
        "action": "pay",
        "card_number": "4970101234567893",
        "expiry": "12/39",
        "cvv": "123",
        "outcome": "P",
    }
    first = session.post(
        simulator.page_url, params={"idop": idop}, data=data, allow_redirects=False
    )
    second = session.post(
        simulator.page_url,
        params={"idop": idop},
        data={**data, "outcome": "R"},
        allow_redirects=False,
    )
    assert first.status_code == 302
    assert second.status_code == 409
    assert SimulatedOperation.objects.get(idop=idop).resultrans == "P"
    assert client.get_payment_detail(idop).resultrans == "P"


def test_the_page_expires_15_minutes_after_creation(simulator):
    idop = create(simulator)
    SimulatedOperation.objects.filter(idop=idop).update(
        created_at=timezone.now() - timedelta(minutes=14, seconds=50)
    )
    assert simulator.open_page(idop).status_code == 200
    SimulatedOperation.objects.filter(idop=idop).update(
        created_at=timezone.now() - timedelta(minutes=15, seconds=5)
    )
    expired = simulator.open_page(idop)
    assert expired.status_code == 410
    assert "P4" in expired.text


def test_an_expired_page_cannot_be_paid(simulator):
    idop = create(simulator)
    session = requests.Session()
    page = simulator.open_page(idop, session)
    token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    SimulatedOperation.objects.filter(idop=idop).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    answer = session.post(
        simulator.page_url,
        params={"idop": idop},
        data={"csrfmiddlewaretoken": token, "idop": idop, "action": "abandon"},
        allow_redirects=False,
    )
    assert answer.status_code == 410
    assert SimulatedOperation.objects.get(idop=idop).resultrans == ""


@pytest.mark.parametrize("idop", ["", "4b0eb5b0-b335-11e2-9219-001fe256bdfe", "<script>"])
def test_an_unknown_idop_gets_an_error_page(simulator, idop):
    answer = simulator.open_page(idop)
    assert answer.status_code == 404
    assert "P1" in answer.text
    assert "<script>" not in answer.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("card_number", "4970 1012 3456 7890"),  # Luhn fails
        ("card_number", "1234"),
        ("expiry", "13/30"),
        ("expiry", "01/20"),
        ("cvv", "12"),
        ("outcome", "X"),
        ("notification", "sometimes"),
    ],
)
def test_a_bad_card_form_shows_errors_and_changes_nothing(simulator, field, value):
    idop = create(simulator)
    answer = simulator.submit(idop, **{field: value})
    assert answer.status_code == 200
    assert 'role="alert"' in answer.text
    assert 'aria-invalid="true"' in answer.text or field == "outcome"
    assert f'aria-describedby="id_{field}-errors"' in answer.text or field == "outcome"
    operation = SimulatedOperation.objects.get(idop=idop)
    assert operation.resultrans == ""
    assert not SimulatedNotification.objects.exists()


def test_abandon_needs_no_card(simulator):
    idop = create(simulator)
    answer = simulator.submit(idop, action="abandon", card_number="", expiry="", cvv="")
    assert answer.status_code == 302
    assert SimulatedOperation.objects.get(idop=idop).resultrans == "A"


def test_the_page_speaks_english_to_an_english_browser(simulator):
    idop = create(simulator)
    session = requests.Session()
    session.cookies.set("portail_language", "en")
    page = simulator.open_page(idop, session)
    assert 'lang="en"' in page.text
    assert "Debt reference" in page.text
    assert "Pay by bank card" in page.text
    assert "€14.80" in page.text


@pytest.mark.concurrency
def test_two_simultaneous_submissions_count_once(simulator):
    """Two browsers post at the same instant: one result, one set of notifications."""
    idop = create(simulator)
    forms = []
    for _ in range(2):
        session = requests.Session()
        page = simulator.open_page(idop, session)
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        forms.append((session, token))
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def post(session, token, outcome):
        barrier.wait(timeout=10)
        answer = session.post(
            simulator.page_url,
            params={"idop": idop},
            data={
                "csrfmiddlewaretoken": token,
                "idop": idop,
                "action": "pay",
                "card_number": "4970101234567893",
                "expiry": "12/39",
                "cvv": "123",
                "outcome": outcome,
            },
            allow_redirects=False,
            timeout=30,
        )
        statuses.append(answer.status_code)

    threads = [
        threading.Thread(target=post, args=(session, token, outcome))
        for (session, token), outcome in zip(forms, ["P", "R"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 409]
    operation = SimulatedOperation.objects.get(idop=idop)
    assert operation.resultrans in {"P", "R"}
    assert SimulatedNotification.objects.filter(operation=operation).count() == 1
