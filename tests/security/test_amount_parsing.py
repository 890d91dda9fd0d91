"""Amounts typed by staff are euros written with digits and an optional decimal comma (or
point) and at most two decimals: "12", "12,5", "12,50", "12.50". Nothing else: no
exponent ("1e3" is not 1 000 €), no plus sign, no spaces inside, no NaN or Infinity, no
digits of other scripts. One parser (billing.amounts) for every staff money form."""

import pytest
from django.urls import reverse
from django.utils import translation

from portail.backoffice.models import StaffAction
from portail.billing.amounts import AmountError, parse_amount_cents
from portail.billing.models import CounterPayment, CreditEntry
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from tests.world import staff
from tests.world.commune import seed_family
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db

GOOD = [
    ("12", 1200),
    ("12,5", 1250),
    ("12,50", 1250),
    ("12.50", 1250),
    ("0,07", 7),
    (" 3,70 ", 370),  # spaces around are trimmed
]
BAD = [
    "1e3",
    "1E3",
    "1e-2",
    "+12",
    "12 000",
    "12\u202f000",
    "1_000",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "0x10",
    "١٢",  # Arabic-Indic digits
    "12,505",
    "12,",
    ",5",
    "12,5,0",
    "12.5,0",
    "--1",
    "",
    "€",
    "12€",
]


@pytest.mark.parametrize(("typed", "cents"), GOOD)
def test_what_is_an_amount(typed, cents):
    assert parse_amount_cents(typed) == cents


@pytest.mark.parametrize("typed", BAD)
def test_what_is_not_an_amount(typed):
    with pytest.raises(AmountError):
        parse_amount_cents(typed)
    with pytest.raises(AmountError):
        parse_amount_cents(typed, allow_negative=True)


def test_a_sign_only_where_the_form_takes_one_back():
    with pytest.raises(AmountError):
        parse_amount_cents("-3,70")
    assert parse_amount_cents("-3,70", allow_negative=True) == -370


def test_bounds():
    assert parse_amount_cents("10000", max_cents=1_000_000) == 1_000_000
    with pytest.raises(AmountError):
        parse_amount_cents("10000,01", max_cents=1_000_000)
    with pytest.raises(AmountError):
        parse_amount_cents("99999999999999999999999")  # far beyond any bound
    with pytest.raises(AmountError):
        parse_amount_cents("-10000,01", allow_negative=True, max_cents=1_000_000)


@pytest.fixture
def fam():
    return seed_family()


@pytest.fixture
def gestionnaire():
    return staff.gestionnaire("gestion@example.org")


@pytest.mark.parametrize("typed", ["1e3", "1E2", "+5", "NaN", "Infinity", "5 000", "1_0"])
def test_the_credit_form_refuses_what_is_not_an_amount(fam, gestionnaire, typed):
    response = client_for(gestionnaire).post(
        reverse("backoffice:household_credit", args=[fam.household.pk]),
        {"credit-amount": typed, "credit-reason": "Geste"},
    )
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not CreditEntry.objects.exists()
    assert not StaffAction.objects.exists()


def test_the_credit_form_reads_a_decimal_comma_and_point(fam, gestionnaire):
    client = client_for(gestionnaire)
    url = reverse("backoffice:household_credit", args=[fam.household.pk])
    assert client.post(url, {"credit-amount": "12,5", "credit-reason": "A"}).status_code == 302
    assert client.post(url, {"credit-amount": "0.25", "credit-reason": "B"}).status_code == 302
    assert list(CreditEntry.objects.order_by("seq").values_list("amount_cents", flat=True)) == [
        1250,
        25,
    ]


@pytest.mark.parametrize("typed", ["3_70", "+370", "370.0", "3.7e2", "-0"])
def test_the_counter_payment_reads_the_amount_seen_strictly(fam, gestionnaire, typed):
    session = next(iter(fam.sessions.values()))
    submit_changes(
        fam.household,
        add=[Change(fam.emy.pk, session.pk)],
        cancel=[],
        actor=fam.user,
        channel=Channel.WEB,
    )
    with translation.override("en"):
        response = client_for(gestionnaire).post(
            reverse("backoffice:basket_counter", args=[fam.household.pk]),
            {"means": "cash", "reference": "", "expected_due_cents": typed},
        )
    assert response.status_code == 400
    assert not CounterPayment.objects.exists()
