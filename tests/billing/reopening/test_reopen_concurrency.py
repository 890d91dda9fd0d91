"""Reopenings racing each other and the family spending its credit: the day is reopened
once, each closure credit taken back at most once and never beyond what the family has
left, one e-mail per family, and money conserved.

The reopening locks the households' rows, then the session's (the order every basket
change takes); a checkout using the credit locks the household first too. Threads race on
SQLite and PostgreSQL (DATABASE_URL=postgres://...: there the row locks matter).
"""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from portail.backoffice.households import Refused
from portail.backoffice.reopening import reopen_session
from portail.billing import credits
from portail.billing.checkout import CheckoutRefused, checkout
from portail.billing.models import CreditEntry, CreditKind
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import Booking, BookingStatus, Channel
from tests import factories

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

REOPENERS = 4


def test_reopenings_and_a_checkout_racing(town, strike_day):
    later = [
        factories.session(town.canteen, town.future.date + datetime.timedelta(days=7 + n))
        for n in range(2)
    ]
    mail.outbox.clear()
    barrier = threading.Barrier(REOPENERS + 1)
    outcomes: list = [None] * (REOPENERS + 1)

    def reopen(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            reopen_session(town.future, actor=town.gestionnaire)
            outcomes[index] = "reopened"
        except Refused:
            outcomes[index] = "refused"
        except BaseException as error:  # asserted below
            outcomes[index] = repr(error)
        finally:
            connection.close()

    def spend(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            submit_changes(
                town.martin,
                add=[Change(town.emy.pk, s.pk) for s in later],
                cancel=[],
                actor=town.parent,
                channel=Channel.WEB,
            )
            checkout(town.martin, actor=town.parent, channel=Channel.WEB)
            outcomes[index] = "spent"
        except (ChangesRefused, CheckoutRefused) as refusal:
            outcomes[index] = f"not spent: {refusal}"
        except BaseException as error:
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=reopen, args=(i,)) for i in range(REOPENERS)]
    threads.append(threading.Thread(target=spend, args=(REOPENERS,)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes[:REOPENERS]) == ["refused"] * (REOPENERS - 1) + ["reopened"]
    # The family spends its credit if it comes first; after the reopening there is none
    # left and the checkout asks PayFiP (unreachable here): refused, nothing paid.
    assert outcomes[REOPENERS] == "spent" or outcomes[REOPENERS].startswith("not spent")
    town.future.refresh_from_db()
    assert town.future.is_open
    reversals = CreditEntry.objects.filter(kind=CreditKind.CLOSURE_REVERSED)
    assert len({e.booking_id for e in reversals}) == reversals.count()
    # Whatever the order: the ledger adds up, never below zero, and money is conserved:
    # 9,25 € paid for the day = what is booked again + the days bought with the credit +
    # the balance.
    running = 0
    for entry in CreditEntry.objects.filter(household=town.martin).order_by("seq"):
        running += entry.amount_cents
        assert entry.balance_after_cents == running >= 0
    restored = Booking.objects.filter(
        session=town.future, status=BookingStatus.RESERVED
    ).values_list("price_cents", flat=True)
    bought = Booking.objects.filter(session__in=later, status=BookingStatus.RESERVED)
    assert bought.count() == (2 if outcomes[REOPENERS] == "spent" else 0)
    assert sum(restored) + 370 * bought.count() + credits.balance_cents(town.martin) == 925
    assert len(restored) == reversals.count()
    reopened = [m.to for m in mail.outbox if "Day open again" in m.subject]
    assert reopened == [["parent.martin@example.org"]]  # (the other: the basket's ticket)
