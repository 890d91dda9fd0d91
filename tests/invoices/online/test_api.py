"""The API: POST invoices/{id}/checkout (the family) and staff/invoices/{id}/payments and
/cancel (gestionnaires), over the live server for the PayFiP part."""

import pytest
import requests

from portail.backoffice.permissions import POINTAGE, grant_role
from portail.billing import credits
from portail.billing.models import InvoicePayment, InvoiceStatus, Payment
from tests import factories
from tests.api.conftest import bearer, error_of, get_token, post_json
from tests.world import invoices as invoices_world
from tests.world.invoices import TOTAL, fresh, grant, invoice_world
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
STAFF_PASSWORD = "staff-pass-123"


def family_token(client, world) -> dict:
    return bearer(get_token(client, world.guardian.user.email, PASSWORD))


def staff_token(client, user) -> dict:
    return bearer(get_token(client, user.email, STAFF_PASSWORD))


def checkout(client, invoice, headers, **body):
    return post_json(client, f"/api/v1/invoices/{invoice.pk}/checkout", body, headers=headers)


@pytest.mark.django_db(transaction=True)
def test_checkout_answers_the_payfip_page_and_the_amount(simulator, live_server):
    world, invoice = invoice_world()
    grant(world, 1000)
    token = requests.post(
        live_server.url + "/api/v1/auth/token",
        json={"email": world.guardian.user.email, "password": PASSWORD},
        timeout=10,
    ).json()["token"]
    answer = requests.post(
        live_server.url + f"/api/v1/invoices/{invoice.pk}/checkout",
        json={"use_credit": True},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    payment = Payment.objects.get()
    assert answer.json() == {
        "status": "awaiting_payment",
        "amount_cents": TOTAL - 1000,
        "payment_url": f"{simulator.page_url}?idop={payment.idop}",
    }
    assert (payment.amount_cents, payment.channel) == (TOTAL - 1000, "api")
    simulator.submit(payment.idop, outcome="P")
    assert fresh(invoice).status == InvoiceStatus.PAID


def test_credit_covering_the_invoice_answers_paid(client):
    world, invoice = invoice_world()
    grant(world, TOTAL)
    answer = checkout(client, invoice, family_token(client, world), use_credit=True)
    assert (answer.status_code, answer.json()) == (200, {"status": "paid"})
    assert fresh(invoice).status == InvoiceStatus.PAID
    assert not Payment.objects.exists()
    # Paid: nothing due any more.
    again = checkout(client, invoice, family_token(client, world), use_credit=True)
    assert again.status_code == 409
    assert error_of(again)["code"] == "nothing_due"


def test_a_cancelled_invoice_has_nothing_due(client):
    world, invoice = invoice_world()
    staff = gestionnaire()
    post_json(
        client,
        f"/api/v1/staff/invoices/{invoice.pk}/cancel",
        {"reason": "Erreur"},
        headers=staff_token(client, staff),
    )
    answer = checkout(client, invoice, family_token(client, world), use_credit=False)
    assert answer.status_code == 409
    assert error_of(answer)["code"] == "nothing_due"


def test_below_the_minimum_after_credit_is_refused_and_writes_nothing(client):
    world, invoice = invoice_world()
    grant(world, TOTAL - 50)
    answer = checkout(client, invoice, family_token(client, world), use_credit=True)
    assert answer.status_code == 422
    assert error_of(answer)["code"] == "below_minimum"
    assert not InvoicePayment.objects.exists()
    assert fresh(invoice).paid_cents == 0


def test_another_households_invoice_is_not_found(client):
    world, invoice = invoice_world()
    other, _kid = invoices_world.another_household(world)
    stranger = factories.guardian(other)
    headers = bearer(get_token(client, stranger.user.email, PASSWORD))
    answer = checkout(client, invoice, headers, use_credit=True)
    assert answer.status_code == 404
    assert error_of(answer)["code"] == "not_found"
    missing = post_json(client, "/api/v1/invoices/999999/checkout", {}, headers=headers)
    assert error_of(missing) == error_of(answer)


def test_a_bad_use_credit_is_an_invalid_field(client):
    world, invoice = invoice_world()
    answer = checkout(client, invoice, family_token(client, world), use_credit="yes")
    assert answer.status_code == 422
    assert error_of(answer)["code"] == "invalid_field"


def test_staff_record_a_counter_payment_and_get_the_invoice(client):
    _world, invoice = invoice_world()
    headers = staff_token(client, gestionnaire())
    url = f"/api/v1/staff/invoices/{invoice.pk}/payments"
    answer = post_json(client, url, {"amount_cents": 1000, "method": "cesu"}, headers=headers)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["id"], body["status"], body["paid_cents"], body["remaining_cents"]) == (
        invoice.pk,
        "partially_paid",
        1000,
        TOTAL - 1000,
    )
    assert len(body["lines"]) == 3
    payment = InvoicePayment.objects.get()
    assert (payment.method, payment.channel) == ("cesu", "api")
    too_much = post_json(client, url, {"amount_cents": TOTAL, "method": "cash"}, headers=headers)
    assert too_much.status_code == 422
    assert error_of(too_much)["code"] == "amount_too_large"
    bad = post_json(client, url, {"amount_cents": 100, "method": "online"}, headers=headers)
    assert (bad.status_code, error_of(bad)["code"]) == (422, "invalid_field")
    rest = post_json(
        client, url, {"amount_cents": TOTAL - 1000, "method": "cheque"}, headers=headers
    )
    assert rest.json()["status"] == "paid"
    done = post_json(client, url, {"amount_cents": 1, "method": "cash"}, headers=headers)
    assert (done.status_code, error_of(done)["code"]) == (409, "nothing_due")


def test_staff_cancel_gives_back_what_was_paid(client):
    world, invoice = invoice_world()
    headers = staff_token(client, gestionnaire())
    post_json(
        client,
        f"/api/v1/staff/invoices/{invoice.pk}/payments",
        {"amount_cents": 500, "method": "cash"},
        headers=headers,
    )
    url = f"/api/v1/staff/invoices/{invoice.pk}/cancel"
    empty = post_json(client, url, {"reason": "  "}, headers=headers)
    assert (empty.status_code, error_of(empty)["code"]) == (422, "invalid_field")
    answer = post_json(client, url, {"reason": "Facture en double"}, headers=headers)
    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["remaining_cents"]) == ("cancelled", 0)
    assert credits.balance_cents(world.household) == 500
    again = post_json(client, url, {"reason": "Encore"}, headers=headers)
    assert (again.status_code, error_of(again)["code"]) == (409, "nothing_due")


def test_only_gestionnaires_record_payments_or_cancel(client):
    world, invoice = invoice_world()
    agent = factories.staff()
    grant_role(agent, POINTAGE, sites=[world.alae.site])
    for path, body in (
        ("payments", {"amount_cents": 100, "method": "cash"}),
        ("cancel", {"reason": "x"}),
    ):
        answer = post_json(
            client,
            f"/api/v1/staff/invoices/{invoice.pk}/{path}",
            body,
            headers=staff_token(client, agent),
        )
        assert answer.status_code == 403
        family = post_json(
            client,
            f"/api/v1/staff/invoices/{invoice.pk}/{path}",
            body,
            headers=family_token(client, world),
        )
        assert family.status_code == 403
    assert fresh(invoice).paid_cents == 0
    missing = post_json(
        client,
        "/api/v1/staff/invoices/999999/payments",
        {"amount_cents": 100, "method": "cash"},
        headers=staff_token(client, gestionnaire()),
    )
    assert missing.status_code == 404
