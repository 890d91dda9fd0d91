"""The money pages (gestionnaire only): payments by state, the régie's export, a re-check
with PayFiP (the simulator over real HTTP)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing.checkout import checkout
from portail.billing.models import CounterPayment, Payment, PaymentState
from portail.payfip_simulator.models import NotificationMode, SimulatorBehaviour
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Basket, BasketStatus, Channel
from tests.factories import paid_booking
from tests.world.staff import client_for

PAGES = ("payments", "payments_export")


def payment(household, n: int, state: str, amount: int, *, paid_at=None) -> Payment:
    basket = Basket.objects.create(
        household=household, reference=f"PF2026{n:06d}", status=BasketStatus.AWAITING_PAYMENT
    )
    return Payment.objects.create(
        basket=basket,
        household=household,
        attempt=1,
        refdet=f"PF2026{n:06d}P1",
        idop=f"idop-{n:04d}-simulated" if state != PaymentState.FAILED else "",
        state=state,
        amount_cents=amount,
        reservations_cents=amount,
        cancellations_cents=0,
        credit_applied_cents=0,
        credit_hold_cents=0,
        numcli="012345",
        exer=2026,
        mel="parent@example.org",
        channel="web",
        resultrans="P" if state == PaymentState.PAID else "",
        numauto="654321" if state == PaymentState.PAID else "",
        paid_at=paid_at,
    )


@pytest.mark.django_db
def test_payments_by_state_with_their_payfip_references(town):
    now = timezone.now()
    paid = payment(town.martin, 1, PaymentState.PAID, 1480, paid_at=now)
    pending = payment(town.durand, 2, PaymentState.PENDING, 740)
    client = client_for(town.gestionnaire, "en")
    html = client.get(reverse("backoffice:payments")).content.decode()
    for text in (paid.refdet, paid.idop, pending.refdet, "MARTIN", "DURAND", paid.basket.reference):
        assert text in html
    assert "€14.80" in html and "€7.40" in html
    # Only a payment not final yet has the re-check button.
    assert reverse("backoffice:payment_check", args=[pending.pk]) in html
    assert reverse("backoffice:payment_check", args=[paid.pk]) not in html
    only_pending = client.get(reverse("backoffice:payments"), {"state": "pending"}).content.decode()
    assert pending.refdet in only_pending and paid.refdet not in only_pending
    bad = client.get(reverse("backoffice:payments"), {"start": "2026-12-01"})
    assert bad.status_code == 400 and "Give both dates" in bad.content.decode()


@pytest.mark.django_db
def test_the_regie_export_lists_payfip_and_counter_payments_with_totals(town):
    today = timezone.localdate()
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12, 0)))
    payment(town.martin, 1, PaymentState.PAID, 1480, paid_at=noon)
    payment(town.durand, 2, PaymentState.PAID, 370, paid_at=noon - datetime.timedelta(days=40))
    payment(town.durand, 3, PaymentState.PENDING, 555)
    payment(town.durand, 4, PaymentState.REFUSED, 555)
    counter_basket = Basket.objects.create(
        household=town.durand, reference="PF2026000009", status=BasketStatus.PAID
    )
    CounterPayment.objects.create(
        household=town.durand,
        basket=counter_basket,
        means="cheque",
        reference="CHQ 1234567",
        amount_cents=740,
        reservations_cents=740,
        cancellations_cents=0,
        credit_applied_cents=0,
        actor=town.gestionnaire,
        actor_label=town.gestionnaire.email,
        created_at=noon,
    )
    response = client_for(town.gestionnaire, "en").get(
        reverse("backoffice:payments_export"),
        {"export-start": today.isoformat(), "export-end": today.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    lines = [
        dict(zip(header, r, strict=True))
        for r in body
        if len(r) == len(header) and r[0][:1].isdigit()
    ]
    assert sorted((line["Means of payment"], line["Amount (cents)"]) for line in lines) == [
        ("Cheque", "740"),
        ("PayFiP (online)", "1480"),
    ]
    payfip = next(line for line in lines if line["Means of payment"] == "PayFiP (online)")
    assert payfip["Debt reference (refdet)"] == "PF2026000001P1"
    assert payfip["PayFiP operation id (idOp)"] == "idop-0001-simulated"
    assert payfip["Authorisation number or reference"] == "654321"
    total = next(r for r in body if r and r[0] == "Total received")
    assert total[7] == "2" and total[9] == "2220"


@pytest.mark.django_db
def test_a_bad_export_period_says_so(town):
    client = client_for(town.gestionnaire, "en")
    response = client.get(
        reverse("backoffice:payments_export"),
        {"export-start": "2026-12-10", "export-end": "2026-12-01"},
    )
    assert response.status_code == 400
    assert "The end of the period is before its start." in response.content.decode()
    default = client.get(reverse("backoffice:payments_export"))
    assert default.status_code == 200 and default["Content-Type"].startswith("text/csv")


@pytest.mark.django_db
def test_no_money_page_for_an_agent_a_kitchen_or_a_parent(town):
    pending = payment(town.durand, 2, PaymentState.PENDING, 740)
    for user in (town.pointage, town.cuisine, town.parent):
        client = client_for(user, "en")
        for name in PAGES:
            assert client.get(reverse(f"backoffice:{name}")).status_code == 403
        check = client.post(reverse("backoffice:payment_check", args=[pending.pk]))
        assert check.status_code == 403
    # The agent's and the kitchen's pages show no amount, nor a link to the money pages.
    paid_booking(town.emy, town.today, price=555)
    for user in (town.pointage, town.cuisine):
        client = client_for(user, "en")
        for url in (reverse("backoffice:index"), reverse("backoffice:headcounts")):
            html = client.get(url).content.decode()
            assert reverse("backoffice:payments") not in html
            assert "€" not in html and "5.55" not in html
    sheet = client_for(town.pointage, "en").get(
        reverse("backoffice:attendance") + f"?seance={town.today.pk}"
    )
    assert "€" not in sheet.content.decode()
    assert not StaffAction.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_rechecking_a_payment_whose_notification_never_came(simulator, town):
    SimulatorBehaviour.objects.update_or_create(
        pk=1, defaults={"notification": NotificationMode.NEVER}
    )
    basket = submit_changes(
        town.martin,
        add=[Change(town.emy.pk, town.future.pk)],
        cancel=[],
        actor=town.parent,
        channel=Channel.WEB,
    )
    result = checkout(town.martin, actor=town.parent, channel=Channel.WEB)
    started = result.payment
    assert started.state == PaymentState.PENDING
    answer = simulator.submit(started.idop, outcome="P")
    assert answer.status_code == 302
    started.refresh_from_db()
    assert started.state == PaymentState.PENDING  # no notification: the portal does not know
    client = client_for(town.gestionnaire, "en")
    response = client.post(reverse("backoffice:payment_check", args=[started.pk]))
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.state == PaymentState.PAID
    basket.refresh_from_db()
    assert basket.status == BasketStatus.PAID
    action = StaffAction.objects.get(kind=StaffActionKind.PAYMENT_CHECKED)
    assert action.household_id == town.martin.pk and started.refdet in action.summary
    # A paid payment is final: nothing to check any more.
    again = client.post(reverse("backoffice:payment_check", args=[started.pk]), follow=True)
    assert "already final" in again.content.decode()
