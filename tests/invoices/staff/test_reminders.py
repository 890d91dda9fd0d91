"""Reminders (relances): e-mailed when an unpaid or partially paid invoice's due date is
7 then 30 days past (PORTAIL_INVOICE_REMINDER_DAYS), once each however often the daily
command runs, never for a paid or cancelled invoice, in the household's language, kept
in "Mes documents", written in the invoice's history."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from portail.billing.invoicing import reminders, settling
from portail.billing.models import InvoiceEvent, InvoiceStatus
from portail.families.models import Document
from portail.reservations.models import Channel
from tests.world.invoices import fresh, invoice_world

pytestmark = pytest.mark.django_db

# Issued on the clock's day, 3 November 2026, due 30 days later.
DUE = "2026-12-03"


def on(time_machine, day: str, hour: str = "09:00") -> None:
    time_machine.move_to(f"{day} {hour} +01:00")


def run() -> str:
    out = StringIO()
    call_command("send_invoice_reminders", stdout=out)
    return out.getvalue()


def reminder_events(invoice) -> list[tuple[str, str]]:
    return list(
        InvoiceEvent.objects.filter(invoice=invoice, action="reminder")
        .order_by("at", "pk")
        .values_list("channel", "detail")
    )


@pytest.fixture
def billed():
    world, invoice = invoice_world()
    assert str(invoice.due_on) == DUE
    mail.outbox.clear()
    return world, invoice


def test_the_first_reminder_seven_days_after_the_due_date(billed, time_machine):
    world, invoice = billed
    for day in ("2026-12-03", "2026-12-04", "2026-12-09"):
        on(time_machine, day)
        assert "0 reminder(s) sent." in run()
    assert mail.outbox == []
    on(time_machine, "2026-12-10")
    assert "1 reminder(s) sent." in run()
    (message,) = mail.outbox
    assert message.to == [world.guardian.user.email]
    assert invoice.number in message.subject
    assert "24,00" in message.body  # what remains to pay
    assert f"/factures/{invoice.pk}/payer/" in message.body  # where to pay it
    row = fresh(invoice)
    assert row.reminders_sent == 1
    assert row.last_reminder_at is not None
    (document,) = Document.objects.filter(household=world.household)
    assert document.title == message.subject
    (event,) = reminder_events(invoice)
    assert event[0] == Channel.SYSTEM


def test_running_again_sends_nothing_more(billed, time_machine):
    _world, invoice = billed
    on(time_machine, "2026-12-10")
    run()
    run()
    on(time_machine, "2026-12-20")
    run()
    assert len(mail.outbox) == 1
    assert len(reminder_events(invoice)) == 1


def test_the_second_reminder_thirty_days_after(billed, time_machine):
    _world, invoice = billed
    on(time_machine, "2026-12-10")
    run()
    on(time_machine, "2027-01-01")
    run()
    assert len(mail.outbox) == 1
    on(time_machine, "2027-01-02")
    run()
    assert len(mail.outbox) == 2
    assert fresh(invoice).reminders_sent == 2
    on(time_machine, "2027-03-01")
    run()
    assert len(mail.outbox) == 2


def test_two_reminders_due_at_once_send_the_latest_only(billed, time_machine):
    _world, invoice = billed
    on(time_machine, "2027-01-15")
    run()
    assert len(mail.outbox) == 1
    assert fresh(invoice).reminders_sent == 2
    run()
    assert len(mail.outbox) == 1


def test_the_delays_come_from_the_setting(billed, time_machine, settings):
    _world, invoice = billed
    settings.PORTAIL_INVOICE_REMINDER_DAYS = (2, 5, 9)
    on(time_machine, "2026-12-05")
    run()
    on(time_machine, "2026-12-08")
    run()
    on(time_machine, "2026-12-12")
    run()
    assert len(mail.outbox) == 3
    assert fresh(invoice).reminders_sent == 3


def test_a_partially_paid_invoice_is_reminded_of_what_remains(billed, time_machine):
    _world, invoice = billed
    settling.record_counter_payment(
        invoice, amount_cents=1000, method="cash", actor=None, channel=Channel.BACKOFFICE
    )
    on(time_machine, "2026-12-10")
    run()
    (message,) = mail.outbox
    assert "14,00" in message.body
    assert "10,00" in message.body


@pytest.mark.parametrize("outcome", ["paid", "cancelled"])
def test_never_for_a_paid_or_cancelled_invoice(billed, time_machine, outcome):
    _world, invoice = billed
    money = {"actor": None, "channel": Channel.BACKOFFICE}
    if outcome == "paid":
        settling.record_counter_payment(invoice, amount_cents=2400, method="cheque", **money)
    else:
        settling.cancel_invoice(invoice, reason="Erreur de facturation", **money)
    assert fresh(invoice).status == outcome
    for day in ("2026-12-10", "2027-01-02"):
        on(time_machine, day)
        run()
    assert mail.outbox == []
    assert reminder_events(invoice) == []


def test_paid_after_the_first_reminder_gets_no_second(billed, time_machine):
    _world, invoice = billed
    on(time_machine, "2026-12-10")
    run()
    settling.record_counter_payment(
        invoice, amount_cents=2400, method="card", actor=None, channel=Channel.BACKOFFICE
    )
    assert fresh(invoice).status == InvoiceStatus.PAID
    on(time_machine, "2027-01-02")
    run()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("language", "greeting"), [("fr", "Bonjour,"), ("en", "Hello,")])
def test_in_the_households_language(billed, time_machine, language, greeting):
    world, _invoice = billed
    user = world.guardian.user
    user.language = language
    user.save(update_fields=["language"])
    on(time_machine, "2026-12-10")
    run()
    (message,) = mail.outbox
    assert message.body.startswith(greeting)


def test_the_service_function_counts_what_it_sent(billed, time_machine):
    on(time_machine, "2026-12-10")
    assert reminders.send_reminders() == 1
    assert reminders.send_reminders() == 0
