"""The payment ticket: once per payment, in each guardian's language, kept in "Mes
documents" with the basket's PDF; the counter's ticket and the validation e-mail too."""

import pytest
from django.core import mail
from django.utils import timezone

from portail.billing import tickets
from portail.billing.checkout import checkout
from portail.billing.counter import record_counter_payment
from portail.billing.models import Payment, PaymentState
from portail.families.models import Document
from portail.reservations.models import Basket, Channel
from tests import factories
from tests.factories import paid_booking
from tests.pdftext import text as pdf_text
from tests.world.commune import seed_days, seed_family

pytestmark = pytest.mark.django_db(transaction=True)


def submit(fam, add=(), cancel=()):
    from portail.reservations.basket import submit_changes
    from portail.reservations.judging import Change

    return submit_changes(
        fam.household,
        add=[Change(kid.pk, s.pk) for kid, s in add],
        cancel=[Change(kid.pk, s.pk) for kid, s in cancel],
        actor=fam.user,
        channel=Channel.WEB,
    )


def pay(simulator, fam) -> Payment:
    result = checkout(fam.household, actor=fam.user, channel=Channel.WEB)
    simulator.submit(result.payment.idop, outcome="P")
    payment = Payment.objects.get(pk=result.payment.pk)
    assert payment.state == PaymentState.PAID
    return payment


def test_the_ticket_says_everything_the_seed_asks_in_french(simulator):
    factories.organisation(name="Carcassonne Agglo")
    fam = seed_family()
    monday, tuesday = (fam.sessions[day] for day in fam.days[:2])
    paid_booking(fam.emy, monday)
    # Cancel Emy's Monday (3,70 credit) and book Lise's Thursday and Friday (7,40).
    submit(fam, add=seed_days(fam)[1::2], cancel=[(fam.emy, monday)])
    payment = pay(simulator, fam)
    assert payment.amount_cents == 370
    [ticket] = Document.objects.filter(kind=Document.Kind.PAYMENT_TICKET)
    body = ticket.body
    assert payment.refdet in ticket.title and payment.refdet in body
    assert "Carcassonne Agglo" in body
    assert payment.basket.reference in body
    assert timezone.localtime(payment.paid_at).strftime("%d/%m/%Y %H:%M") in body
    assert "3,70\xa0€" in body  # amount paid, credit used, cancelled day
    assert "PAGES-TEST Lise" in body and "PAGES-TEST Emy" in body
    for day in fam.days[2:]:
        assert day.strftime("%d/%m/%Y") in body
    assert fam.days[0].strftime("%d/%m/%Y") in body  # the cancelled Monday
    assert tuesday.date.strftime("%d/%m/%Y") not in body
    # One e-mail per guardian, with the basket's detail as PDF; the same file is kept.
    [message] = mail.outbox
    assert message.to == [fam.user.email]
    assert message.subject == ticket.title
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == (f"ticket-{payment.basket.reference}.pdf", "application/pdf")
    attachment = ticket.attachments.get()
    assert bytes(attachment.content) == content
    # The PDF is a ticket: PAYÉ with the figures, who issues it, each day's outcome.
    text = " ".join(pdf_text(content).split())
    assert "Ticket de paiement" in text and "PAYÉ" in text
    assert "Carcassonne Agglo" in text
    assert "Montant payé : 3,70 €" in text
    assert "Avoir utilisé : 3,70 €" in text  # the cancelled Monday pays half of it
    assert f"Référence du paiement : {payment.refdet}" in text
    assert f"Payé le {timezone.localtime(payment.paid_at).strftime('%d/%m/%Y %H:%M')}" in text
    assert "RÉSERVÉ" in text and "ANNULÉ" in text
    assert "PRE-RESERVATION" not in text
    for day in fam.days[2:]:
        assert day.strftime("%d/%m/%Y") in text


def test_each_guardian_reads_the_ticket_in_their_language(simulator):
    fam = seed_family()
    second = factories.guardian(fam.household, email="pierre@example.org")
    second.user.language = "en"
    second.user.save()
    submit(fam, add=seed_days(fam))
    pay(simulator, fam)
    [ticket] = Document.objects.filter(kind=Document.Kind.PAYMENT_TICKET)
    assert "14,80\xa0€" in ticket.body  # the French version (first guardian)
    assert "€14.80" in ticket.body  # and the English one
    assert sorted(m.to[0] for m in mail.outbox) == sorted([fam.user.email, "pierre@example.org"])
    # Each guardian reads their own language; the kept copy holds both.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "14,80\xa0€" in by_address[fam.user.email].body
    assert "€14.80" not in by_address[fam.user.email].body
    assert "€14.80" in by_address["pierre@example.org"].body
    assert by_address["pierre@example.org"].subject.startswith("Payment ticket")
    assert ticket.title == by_address[fam.user.email].subject  # the first guardian's


def test_an_english_household_gets_an_english_ticket(simulator):
    fam = seed_family()
    fam.user.language = "en"
    fam.user.save()
    submit(fam, add=seed_days(fam))
    payment = pay(simulator, fam)
    [ticket] = Document.objects.filter(kind=Document.Kind.PAYMENT_TICKET)
    assert ticket.title == f"Payment ticket {payment.refdet}"
    assert "Amount paid: €14.80 (Online (PayFiP), by card, authorisation" in ticket.body
    assert "Credit used: €0.00" in ticket.body
    assert "Booked days:" in ticket.body
    assert "14,80" not in ticket.body
    text = " ".join(pdf_text(bytes(ticket.attachments.get().content)).split())
    assert "Payment ticket" in text and "PAID" in text
    assert "Amount paid: €14.80" in text and "RESERVED" in text
    assert "PAYÉ" not in text


def test_one_ticket_per_payment_even_if_asked_again(simulator):
    fam = seed_family()
    submit(fam, add=seed_days(fam))
    payment = pay(simulator, fam)
    from portail.billing import payments

    for source in ("notification", "return", "poll"):
        payments.refresh_payment(payment.idop, source=source)
    payments.check_pending_payments()
    assert Document.objects.filter(kind=Document.Kind.PAYMENT_TICKET).count() == 1
    assert len(mail.outbox) == 1


def test_a_counter_payment_gets_its_ticket(live_server):
    fam = seed_family()
    staff = factories.staff()
    basket = submit(fam, add=seed_days(fam))
    record_counter_payment(basket, means="cash", actor=staff, expected_due_cents=1480)
    [ticket] = Document.objects.filter(kind=Document.Kind.PAYMENT_TICKET)
    assert basket.reference in ticket.title
    assert "14,80\xa0€" in ticket.body
    assert len(mail.outbox) == 1


def test_a_validated_basket_gets_its_validation_email(live_server):
    fam = seed_family()
    paid_booking(fam.emy, fam.sessions[fam.days[0]])
    basket = submit(fam, cancel=[(fam.emy, fam.sessions[fam.days[0]])])
    checkout(fam.household, actor=fam.user, channel=Channel.WEB, expected_due_cents=0)
    [document] = Document.objects.filter(household=fam.household)
    assert document.kind == Document.Kind.BASKET_PDF
    assert basket.reference in document.title
    assert "3,70\xa0€" in document.body
    assert fam.days[0].strftime("%d/%m/%Y") in document.body
    assert document.attachments.count() == 1
    assert len(mail.outbox) == 1
    # Nothing was paid: the PDF says validated, what the cancellation credited, no "PAYÉ".
    text = " ".join(pdf_text(bytes(document.attachments.get().content)).split())
    assert "Panier validé" in text and "VALIDÉ" in text
    assert "Annulations portées à votre avoir : 3,70 €" in text
    assert "Montant payé" not in text and "PAYÉ" not in text
    assert "ANNULÉ" in text


def test_a_ticket_that_cannot_be_written_never_undoes_the_payment(simulator, monkeypatch):
    """The ticket is sent after the payment's commit, through send_robust: a failure is
    logged, the payment stays confirmed."""

    def broken(payment):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(tickets, "send_payment_ticket", broken)
    fam = seed_family()
    submit(fam, add=seed_days(fam))
    payment = pay(simulator, fam)
    assert payment.state == PaymentState.PAID
    assert Basket.objects.get().status == "paid"
    assert not Document.objects.exists()
