"""The basket page's credit, amount due and buttons (OK / PAYER), through the pages.

Seed figures: cancelling two paid days gives 7,40 EUR of credit ("Cet avoir se déduira
automatiquement lors de votre prochaine réservation."); the next four days (14,80 EUR)
then cost 7,40 EUR to pay; OK replaces PAYER when the credit covers everything.
"""

import re

import pytest
from django.test import Client

from portail.billing import credits
from portail.billing.models import CreditKind, Payment
from portail.families.models import Document
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus, LineKind
from tests import factories
from tests.factories import paid_booking
from tests.world.commune import seed_days, seed_family
from tests.world.web import change, fr, text_of

pytestmark = pytest.mark.django_db


def submit(client, fam, add=(), cancel=()):
    values = [change("reserve", kid, s) for kid, s in add]
    values += [change("cancel", kid, s) for kid, s in cancel]
    client.force_login(fam.user)
    response = client.post(f"/planning/?week={fam.week}", {"week": fam.week, "change": values})
    assert response.status_code == 302
    return response


def basket_page(client) -> tuple[str, str]:
    html = client.get("/panier/").content.decode()
    return html, text_of(html)


def form_amount(html: str) -> int | None:
    found = re.search(r'name="expected_due_cents" value="(\d+)"', html)
    return int(found[1]) if found else None


def emy_two_paid_days(fam):
    """Emy's Monday and Tuesday, booked and paid earlier (3,70 EUR each)."""
    return [paid_booking(fam.emy, fam.sessions[day]) for day in fam.days[:2]]


def cancel_emys_two_days(client, fam):
    submit(client, fam, cancel=[(fam.emy, fam.sessions[day]) for day in fam.days[:2]])


def test_cancellation_only_basket_shows_ok_and_the_seeds_sentence(
    client, django_capture_on_commit_callbacks
):
    fam = seed_family()
    emy_two_paid_days(fam)
    cancel_emys_two_days(client, fam)
    html, text = basket_page(client)
    assert fr("Total amount of the cancellation") in text
    assert "7,40\xa0€" in text
    assert fr("The credit is deducted automatically from your next reservation.") == (
        "Cet avoir se déduira automatiquement lors de votre prochaine réservation."
    )
    assert fr("The credit is deducted automatically from your next reservation.") in text
    # OK, not PAYER: nothing to pay; the form sends the amount shown (0).
    assert f">{fr('OK')}</button>" in html
    assert f">{fr('PAY')}</button>" not in html
    assert form_amount(html) == 0
    assert 'action="/panier/valider/"' in html
    assert "?kind=cancellations" in html and "?kind=reservations" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/panier/valider/", {"expected_due_cents": "0"})
    basket = Basket.objects.filter(lines__isnull=False).distinct().get()
    assert response.status_code == 302
    assert response["Location"] == f"/panier/valide/{basket.reference}/"
    assert basket.status == BasketStatus.VALIDATED
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert credits.balance_cents(fam.household) == 740
    page = text_of(client.get(response["Location"]).content.decode())
    assert "7,40\xa0€" in page
    for day in fam.days[:2]:
        assert day.strftime("%d/%m/%Y") in page
    # The validation is e-mailed and kept in "Mes documents", with the basket's PDF.
    document = Document.objects.get(household=fam.household)
    assert document.kind == Document.Kind.BASKET_PDF
    assert basket.reference in document.title
    assert document.attachments.get().content_type == "application/pdf"


def test_the_seeds_credit_arithmetic_on_the_pages(client, django_capture_on_commit_callbacks):
    fam = seed_family()
    emy_two_paid_days(fam)
    cancel_emys_two_days(client, fam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/panier/valider/", {"expected_due_cents": "0"})
    # The home page and the credit history show the 7,40 EUR credit.
    home = text_of(client.get("/").content.decode())
    assert fr("My credit (avoir): %(amount)s", amount="7,40\xa0€") in home
    assert 'href="/mon-avoir/"' in client.get("/").content.decode()
    history = text_of(client.get("/mon-avoir/").content.decode())
    assert history.count("+3,70\xa0€") == 2
    assert "7,40\xa0€" in history

    # The next four days (14,80 EUR): 7,40 EUR of credit used, 7,40 EUR to pay: PAYER.
    submit(client, fam, add=seed_days(fam))
    html, text = basket_page(client)
    assert "14,80\xa0€" in text
    assert fr("Your credit (avoir) available") in text
    assert fr("Credit used") in text and "-7,40\xa0€" in text
    assert fr("Amount to pay") in text
    assert form_amount(html) == 740
    assert f">{fr('PAY')}</button>" in html and f">{fr('OK')}</button>" not in html


def test_ok_when_the_credit_covers_the_whole_basket(client, django_capture_on_commit_callbacks):
    fam = seed_family()
    emy_two_paid_days(fam)
    cancel_emys_two_days(client, fam)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/panier/valider/", {"expected_due_cents": "0"})
    # Two days (7,40 EUR) against 7,40 EUR of credit: OK.
    friday = fam.sessions[fam.days[3]]
    submit(client, fam, add=[(kid, friday) for kid in fam.children])
    html, text = basket_page(client)
    assert form_amount(html) == 0
    assert f">{fr('OK')}</button>" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/panier/valider/", {"expected_due_cents": "0"})
    assert response["Location"].startswith("/panier/valide/")
    assert Booking.objects.filter(session=friday, status=BookingStatus.RESERVED).count() == 2
    assert credits.balance_cents(fam.household) == 0
    assert not Payment.objects.exists()
    kinds = [e.kind for e in credits.entries(fam.household)]
    assert kinds == [CreditKind.CANCELLATION, CreditKind.CANCELLATION, CreditKind.CHECKOUT]


def test_below_the_minimum_there_is_no_button_and_a_clear_reason(client):
    fam = seed_family()
    credits.adjust(fam.household, 300, reason="Geste", actor=factories.staff())
    submit(client, fam, add=[(fam.emy, fam.sessions[fam.days[0]])])  # 3,70 - 3,00 = 0,70
    html, text = basket_page(client)
    assert form_amount(html) is None  # neither PAYER nor OK
    assert "0,70\xa0€" in text and "1,00\xa0€" in text
    reason = fr(
        "The amount to pay (%(amount)s) is below the minimum of %(minimum)s for an online "
        "payment. Add days to your basket, or validate it later when your credit covers it.",
        amount="0,70\xa0€",
        minimum="1,00\xa0€",
    )
    assert reason in text
    # A forged PAYER is refused with the same words, and nothing changes.
    response = client.post("/panier/valider/", {"expected_due_cents": "70"}, follow=True)
    assert reason in text_of(response.content.decode())
    assert Basket.objects.get().status == BasketStatus.OPEN
    assert not Payment.objects.exists()


def test_a_basket_changed_meanwhile_is_not_paid_at_the_old_amount(client):
    fam = seed_family()
    submit(client, fam, add=seed_days(fam))
    html, _text = basket_page(client)
    assert form_amount(html) == 1480
    # Meanwhile the service grants a credit (or another tab changed the basket).
    credits.adjust(fam.household, 100, reason="Geste", actor=factories.staff())
    response = client.post("/panier/valider/", {"expected_due_cents": "1480"}, follow=True)
    text = text_of(response.content.decode())
    assert (
        fr(
            "The amount to pay is now %(amount)s: please check your basket again.",
            amount="13,80\xa0€",
        )
        in text
    )
    assert form_amount(response.content.decode()) == 1380
    assert not Payment.objects.exists()
    assert Basket.objects.get().status == BasketStatus.OPEN


@pytest.mark.parametrize("value", ["", "abc", "-5", "1.5", "9999999999", "１４８０"])
def test_a_malformed_amount_changes_nothing(client, value):
    fam = seed_family()
    submit(client, fam, add=seed_days(fam))
    response = client.post("/panier/valider/", {"expected_due_cents": value}, follow=True)
    text = text_of(response.content.decode())
    assert fr("The form sent is not valid; nothing was changed. Please try again.") in text
    assert Basket.objects.get().status == BasketStatus.OPEN
    assert not Payment.objects.exists()


def test_payer_needs_a_post_with_csrf(client):
    fam = seed_family()
    submit(client, fam, add=seed_days(fam))
    assert client.get("/panier/valider/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(fam.user)
    assert strict.post("/panier/valider/", {"expected_due_cents": "1480"}).status_code == 403
    assert Basket.objects.get().status == BasketStatus.OPEN


def test_no_basket_to_validate_says_so(client):
    fam = seed_family()
    client.force_login(fam.user)
    response = client.post("/panier/valider/", {"expected_due_cents": "0"}, follow=True)
    assert fr("There is no basket to validate (it may have expired).") in text_of(
        response.content.decode()
    )


def test_a_households_validated_basket_is_not_anothers(client, django_capture_on_commit_callbacks):
    fam = seed_family()
    emy_two_paid_days(fam)
    cancel_emys_two_days(client, fam)
    response = client.post("/panier/valider/", {"expected_due_cents": "0"})
    url = response["Location"]
    other = seed_family(names=("Zoé",), household_name="VOISINS")
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    assert client.get("/mon-avoir/").status_code == 200
    assert "7,40" not in client.get("/mon-avoir/").content.decode()


def test_the_english_basket_page(client):
    fam = seed_family()
    fam.user.language = "en"
    fam.user.save()
    submit(client, fam, add=seed_days(fam))
    client.cookies["portail_language"] = "en"
    html, text = basket_page(client)
    assert ">PAY</button>" in html
    assert "€14.80" in text
    assert "Download the details of the reservations (PDF)" in text
    assert (
        "Once your payment is validated, you will always receive a payment ticket by e-mail; "
        "it confirms your reservation." in text
    )
    assert str(LineKind.RESERVATION.label) == "PRE-RESERVATION"
    assert text.count("PRE-RESERVATION") == 4
