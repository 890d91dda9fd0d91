"""The parent's journey over real HTTP: basket, PAYER, PayFiP (the simulator), the
notification, the return page, the planning and the ticket.

Everything runs on the live server: the portal's pages, the simulator's SOAP endpoint
and payment page, and the portal's notification and return addresses, which the
simulator calls (or sends the browser to) for real.
"""

import datetime
import threading
import time

import pytest
import requests
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from portail.billing import credits, payments
from portail.billing.models import Payment, PaymentState
from portail.families.models import Document
from portail.payfip_simulator.models import NotificationMode, SimulatorBehaviour, SoapMode
from portail.reservations.holds import expire_baskets
from portail.reservations.models import (
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    HistoryEntry,
)
from tests.world.commune import seed_days, seed_family
from tests.world.web import Browser, en, fr, text_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def confirmed():
    """The payment_confirmed signals sent (the ticket listens to the same signal)."""
    sent = []

    def receiver(payment, settlement, **kwargs):
        sent.append(payment.pk)

    payments.payment_confirmed.connect(receiver)
    yield sent
    payments.payment_confirmed.disconnect(receiver)


def parent(simulator, fam, language="en") -> Browser:
    """The guardian signed in on the live server, in `language` (the account's own: the
    portal switches to it at login)."""
    fam.user.language = language
    fam.user.save(update_fields=["language"])
    browser = Browser(simulator.base, language=language)
    browser.login(fam.user.email)
    return browser


def start_paying(simulator, fam, browser=None):
    """The parent submits the seed's four days and clicks PAYER: (browser, payment)."""
    browser = browser or parent(simulator, fam)
    browser.submit_days(fam, add=seed_days(fam))
    assert browser.amount_shown() == 1480
    answer = browser.checkout()
    assert answer.status_code == 302
    payment = Payment.objects.get(state=PaymentState.PENDING)
    assert answer.headers["Location"] == f"{simulator.page_url}?idop={payment.idop}"
    return browser, payment


def tickets(fam):
    return Document.objects.filter(household=fam.household, kind=Document.Kind.PAYMENT_TICKET)


def test_pay_four_days_on_payfip_and_see_them_booked(simulator, confirmed):
    fam = seed_family()
    browser = parent(simulator, fam, language="fr")
    browser.submit_days(fam, add=seed_days(fam))
    page = text_of(browser.basket())
    assert "14,80\xa0€" in page
    assert fr("PAY") in page and fr("PAY") == "PAYER"
    assert (
        fr(
            "Once your payment is validated, you will always receive a payment ticket by e-mail; "
            "it confirms your reservation."
        )
        in page
    )

    # PAYER: the browser is sent to PayFiP's page (the simulator), which shows the debt.
    answer = browser.checkout()
    assert answer.status_code == 302
    payment = Payment.objects.get()
    assert (payment.amount_cents, payment.state) == (1480, PaymentState.PENDING)
    assert answer.headers["Location"] == f"{simulator.page_url}?idop={payment.idop}"
    page = browser.get(answer.headers["Location"])
    assert page.status_code == 200
    assert payment.refdet in page.text and "14,80" in page.text and fam.user.email in page.text

    # The parent pays; PayFiP notifies the portal (server to server) and sends the
    # browser back to the return page.
    paid = simulator.submit(payment.idop, outcome="P")
    assert paid.status_code == 302
    back = paid.headers["Location"]
    assert back == f"{simulator.base}/paiement/retour/?idop={payment.idop}"
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID  # the notification already confirmed it
    assert confirmed == [payment.pk]

    page = browser.get(back)
    assert page.status_code == 200
    words = text_of(page.text)
    assert fr("Your payment of %(amount)s is confirmed.", amount="14,80\xa0€") in words
    assert (
        fr("You will receive your payment ticket by e-mail; it is also kept in “My documents”.")
        in words
    )
    for kid in fam.children:
        assert f"{kid.last_name} {kid.first_name}" in words
    for day in fam.days[2:]:
        assert day.strftime("%d/%m/%Y") in words

    # The planning shows the four days booked (green "Réservé(e)").
    planning = browser.get(f"/planning/?week={fam.week}").text
    assert planning.count("block state state--reserved") == 4
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.RESERVED}
    assert HistoryEntry.objects.filter(detail="paid").count() == 4

    # One ticket, e-mailed to the guardian and kept in "Mes documents" with the PDF.
    assert tickets(fam).count() == 1
    ticket = tickets(fam).get()
    assert payment.refdet in ticket.title
    assert [m.to for m in mail.outbox] == [[fam.user.email]]
    assert mail.outbox[0].attachments[0][2] == "application/pdf"
    assert ticket.attachments.get().content_type == "application/pdf"
    assert "14,80\xa0€" in ticket.body

    # The browser comes back again (reload, bookmark): still paid, nothing twice.
    assert fr("Your payment of %(amount)s is confirmed.", amount="14,80\xa0€") in text_of(
        browser.get(back).text
    )
    assert confirmed == [payment.pk]
    assert tickets(fam).count() == 1 and len(mail.outbox) == 1


def test_refused_card_lets_the_parent_try_again(simulator, confirmed):
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    back = simulator.submit(payment.idop, outcome="R").headers["Location"]
    words = text_of(browser.get(back).text)
    assert "Your payment was refused" in words
    assert Basket.objects.get().status == BasketStatus.OPEN
    # PAYER again: a second attempt, paid.
    answer = browser.checkout()
    assert answer.status_code == 302
    second = Payment.objects.get(state=PaymentState.PENDING)
    assert second.attempt == 2
    simulator.submit(second.idop, outcome="P")
    assert confirmed == [second.pk]
    assert tickets(fam).count() == 1


def test_abandoned_payment_keeps_the_basket(simulator, settings):
    settings.PAYFIP_ABANDON_GRACE_MINUTES = 5
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    back = simulator.submit(payment.idop, action="abandon").headers["Location"]
    words = text_of(browser.get(back).text)
    assert "You left the payment page without paying" in words
    # Meanwhile the basket page says so (no PayFiP page to go back to: it was used).
    basket = text_of(browser.basket())
    assert "Payment in progress" in basket
    assert "You left the payment page without paying" in basket
    # After the grace, the poll closes it and the basket is open again.
    payments.check_pending_payments(now=timezone.now() + datetime.timedelta(minutes=6))
    assert Payment.objects.get().state == PaymentState.ABANDONED
    assert Basket.objects.get().status == BasketStatus.OPEN
    assert browser.amount_shown() == 1480
    assert not Document.objects.filter(kind=Document.Kind.PAYMENT_TICKET).exists()


def test_payment_in_progress_offers_to_resume_while_the_page_lives(simulator, settings):
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    basket = browser.basket()
    assert "Payment in progress" in text_of(basket)
    assert f'href="{simulator.page_url}?idop={payment.idop}"' in basket
    assert f"/paiement/retour/?idop={payment.idop}" in basket
    # PayFiP's page is usable PAYFIP_PAGE_MINUTES: after that, no link back to it.
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=settings.PAYFIP_PAGE_MINUTES + 1)
    )
    basket = browser.basket()
    assert "Payment in progress" in text_of(basket)
    assert f"{simulator.page_url}?idop=" not in basket


def test_duplicate_notifications_confirm_once_and_send_one_ticket(simulator, confirmed):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.TWICE)
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    back = simulator.submit(payment.idop, outcome="P").headers["Location"]
    # And the portal's notification address called again by hand, in every letter case.
    for name in ("idOp", "idop", "IDOP"):
        answer = requests.post(
            simulator.base + "/paiement/notification/", data={name: payment.idop}, timeout=10
        )
        assert (answer.status_code, answer.text) == (200, "OK")
    browser.get(back)
    call_command("check_payments", verbosity=0)
    assert confirmed == [payment.pk]
    assert tickets(fam).count() == 1
    assert len(mail.outbox) == 1
    assert HistoryEntry.objects.filter(detail="paid").count() == 4


def test_missing_notification_the_return_page_confirms(simulator, confirmed):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    back = simulator.submit(payment.idop, outcome="P").headers["Location"]
    assert Payment.objects.get().state == PaymentState.PENDING  # no notification came
    words = text_of(browser.get(back).text)
    assert en("Your payment of %(amount)s is confirmed.", amount="€14.80") in words
    assert confirmed == [payment.pk]
    assert tickets(fam).count() == 1


def test_missing_notification_and_no_return_check_payments_confirms(simulator, confirmed):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    simulator.submit(payment.idop, outcome="P")  # the parent closes the tab
    call_command("check_payments", verbosity=0)
    assert Payment.objects.get().state == PaymentState.PAID
    assert confirmed == [payment.pk]
    assert tickets(fam).count() == 1
    # The basket page no longer shows a payment in progress; the planning shows the days.
    assert "Payment in progress" not in text_of(browser.basket())
    assert browser.get(f"/planning/?week={fam.week}").text.count("block state state--reserved") == 4


def test_still_processing_page_refreshes_itself_until_paid(simulator, confirmed):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    # Back before PayFiP has a result (P5): the page says so and reloads itself.
    back = f"/paiement/retour/?idop={payment.idop}"
    page = browser.get(back).text
    assert '<meta http-equiv="refresh" content="5">' in page
    assert "Your payment is being processed by PayFiP" in text_of(page)
    assert f'href="/paiement/retour/?idop={payment.idop}"' in page  # "Check now"
    # Automatic checking can be stopped (RGAA: the user controls time limits).
    stopped = browser.get(back + "&auto=0").text
    assert 'http-equiv="refresh"' not in stopped
    simulator.submit(payment.idop, outcome="P")
    page = browser.get(back).text
    assert 'http-equiv="refresh"' not in page
    assert en("Your payment of %(amount)s is confirmed.", amount="€14.80") in text_of(page)
    assert confirmed == [payment.pk]


def test_notification_and_return_at_the_same_time_confirm_once(simulator, confirmed):
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    simulator.submit(payment.idop, outcome="P")
    barrier = threading.Barrier(4)
    answers = []

    def notify():
        barrier.wait()
        answers.append(
            requests.post(
                simulator.base + "/paiement/notification/",
                data={"idOp": payment.idop},
                timeout=30,
            ).status_code
        )

    def come_back():
        barrier.wait()
        answers.append(browser.get(f"/paiement/retour/?idop={payment.idop}").status_code)

    threads = [threading.Thread(target=notify) for _ in range(3)]
    threads.append(threading.Thread(target=come_back))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [200, 200, 200, 200]
    assert Payment.objects.get().state == PaymentState.PAID
    assert confirmed == [payment.pk]
    assert tickets(fam).count() == 1
    assert HistoryEntry.objects.filter(detail="paid").count() == 4


def test_amount_mismatch_confirms_nothing_and_says_so(simulator, confirmed):
    from portail.payfip_simulator.models import SimulatedOperation

    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    # PayFiP answers about another amount (what a forged or mixed-up payment would show).
    SimulatedOperation.objects.filter(idop=payment.idop).update(montant_cents=100)
    back = simulator.submit(payment.idop, outcome="P").headers["Location"]
    words = text_of(browser.get(back).text)
    assert "This payment needs a check by the service" in words
    assert Payment.objects.get().state == PaymentState.MISMATCH
    assert not Booking.objects.filter(status=BookingStatus.RESERVED).exists()
    assert confirmed == []
    assert not tickets(fam).exists()


def test_payfip_down_at_payer_keeps_the_basket_with_a_clear_message(simulator):
    SimulatorBehaviour.objects.create(pk=1, soap_mode=SoapMode.UNAVAILABLE)
    fam = seed_family()
    browser = parent(simulator, fam)
    browser.submit_days(fam, add=seed_days(fam))
    answer = browser.checkout()
    assert (answer.status_code, answer.headers["Location"]) == (302, "/panier/")
    page = text_of(browser.basket())
    assert "The online payment service is not available at the moment" in page
    assert "Your basket is kept" in page
    assert Basket.objects.get().status == BasketStatus.OPEN
    assert Payment.objects.get().state == PaymentState.FAILED
    # PayFiP is back: PAYER works.
    SimulatorBehaviour.objects.filter(pk=1).update(soap_mode=SoapMode.NORMAL)
    assert browser.checkout().status_code == 302
    assert Payment.objects.filter(state=PaymentState.PENDING).count() == 1


def test_payment_after_expiry_credits_the_days_whose_place_was_taken(simulator, settings):
    """The parent pays after the payment's time ran out; one place went to another family
    meanwhile: the free days are confirmed, the taken one becomes credit, and the parent
    is told on the return page and in the ticket."""
    SimulatorBehaviour.objects.create(pk=1, notification=NotificationMode.NEVER)
    fam = seed_family(default_capacity=2)
    browser, payment = start_paying(simulator, fam)
    # No answer from PayFiP for too long (our clock): the poll expires the payment, the
    # basket opens again, then expires too and releases its places.
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now()
        - datetime.timedelta(minutes=settings.PAYFIP_PENDING_MAX_MINUTES + 1)
    )
    payments.check_pending_payments()
    assert Payment.objects.get().state == PaymentState.EXPIRED
    Basket.objects.filter(pk=payment.basket_id).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    expire_baskets()
    assert Basket.objects.get().status == BasketStatus.EXPIRED
    # Another family takes one of the two Friday places meanwhile.
    other = seed_family(names=("Zoé",), household_name="AUTRE", act=(fam.activity, fam.sessions))
    neighbour = Browser(simulator.base)
    neighbour.login(other.user.email)
    neighbour.submit_days(other, add=[(other.children[0], fam.sessions[fam.days[3]])])
    # The parent's payment goes through on PayFiP's page after all.
    back = simulator.submit(payment.idop, outcome="P").headers["Location"]
    words = text_of(browser.get(back).text)
    assert en("Your payment of %(amount)s is confirmed.", amount="€14.80") in words
    assert "Days that could not be confirmed" in words
    assert "Payment added to your credit" in words
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    reserved = Booking.objects.filter(child__household=fam.household, status="reserved")
    assert reserved.count() == 3  # Thursday for both, Friday for Emy (first by name)
    assert credits.balance_cents(fam.household) == 370  # Lise's Friday, paid: credit
    ticket = tickets(fam).get()
    assert "could not be confirmed" in ticket.body
    assert "€3.70" in ticket.body


def test_return_page_shows_a_payment_only_to_its_household(simulator):
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    simulator.submit(payment.idop, outcome="P")
    back = f"/paiement/retour/?idop={payment.idop}"
    other = seed_family(names=("Zoé",), household_name="VOISINS")
    other.user.language = "en"
    other.user.save(update_fields=["language"])
    stranger = Browser(simulator.base)
    stranger.login(other.user.email)
    neutral = text_of(stranger.get(back).text)
    assert "This payment cannot be shown here." in neutral
    assert payment.refdet not in neutral and "PAGES-TEST" not in neutral
    # An unknown idOp reads exactly the same.
    unknown = text_of(stranger.get("/paiement/retour/?idop=00000000-0000-0000-0000-0000").text)
    assert unknown == neutral
    # Signed out: the login page first, then back to the payment.
    anonymous = Browser(simulator.base).get(back)
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/compte/connexion/?next=")


def test_payfip_sending_the_browser_back_by_post_still_reaches_the_page(simulator):
    fam = seed_family()
    browser, payment = start_paying(simulator, fam)
    simulator.submit(payment.idop, outcome="P")
    # A cross-site form POST (no CSRF token, no session cookie under SameSite=Lax).
    answer = requests.post(
        simulator.base + "/paiement/retour/",
        data={"idOp": payment.idop},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/paiement/retour/?idop={payment.idop}"
    words = text_of(browser.get(answer.headers["Location"]).text)
    assert en("Your payment of %(amount)s is confirmed.", amount="€14.80") in words


def test_the_journey_takes_seconds_not_minutes(simulator):
    """The notification answers quickly even while the portal asks PayFiP (bounded by
    PAYFIP_TIMEOUT_SECONDS); a full payment here is well under that."""
    fam = seed_family()
    _browser, payment = start_paying(simulator, fam)
    started = time.monotonic()
    simulator.submit(payment.idop, outcome="P")
    assert time.monotonic() - started < 10


def test_the_seeds_credit_pays_half_of_the_next_four_days_on_payfip(simulator, confirmed):
    from tests.factories import paid_booking

    fam = seed_family()
    for day in fam.days[:2]:
        paid_booking(fam.emy, fam.sessions[day])
    browser = parent(simulator, fam)
    # Cancelling Emy's two paid days: OK, 7,40 EUR of credit.
    browser.submit_days(fam, cancel=[(fam.emy, fam.sessions[day]) for day in fam.days[:2]])
    assert browser.amount_shown() == 0
    validated = browser.checkout()
    assert validated.headers["Location"].startswith("/panier/valide/")
    assert credits.balance_cents(fam.household) == 740
    # The next four days cost 14,80 EUR, 7,40 EUR once the credit is used: PayFiP asks 7,40.
    browser.submit_days(fam, add=seed_days(fam))
    assert browser.amount_shown() == 740
    answer = browser.checkout()
    payment = Payment.objects.get()
    assert payment.amount_cents == 740
    page = browser.get(answer.headers["Location"])
    assert "€7.40" in page.text  # PayFiP's "Montant", in the browser's language
    back = simulator.submit(payment.idop, outcome="P").headers["Location"]
    words = text_of(browser.get(back).text)
    assert en("Your payment of %(amount)s is confirmed.", amount="€7.40") in words
    assert credits.balance_cents(fam.household) == 0
    assert Booking.objects.filter(status=BookingStatus.RESERVED).count() == 4
    ticket = tickets(fam).get()
    assert "Amount paid: €7.40" in ticket.body
    assert "Credit used: €7.40" in ticket.body
    assert confirmed == [payment.pk]
