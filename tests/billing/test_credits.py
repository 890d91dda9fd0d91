"""The credit ledger: append-only, never negative, oldest credit used first."""

import pytest
from django.db import IntegrityError, connection, transaction

from portail.api.serializers import household_credit_balance_cents
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind, ImmutableEntry
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    return factories.household()


def test_a_new_household_has_no_credit(household):
    assert credits.balance_cents(household) == 0
    assert credits.available_cents(household) == 0
    assert credits.entries(household) == []


def test_entries_add_up_and_each_keeps_the_balance_after_it(household):
    staff = factories.staff()
    credits.add_credit(household, 370, kind=CreditKind.CLOSURE, reason="Grève")
    credits.adjust(household, 500, reason="Geste commercial", actor=staff)
    credits.add_credit(household, -600, kind=CreditKind.CHECKOUT, reason="")
    rows = credits.entries(household)
    assert [(e.seq, e.kind, e.amount_cents, e.balance_after_cents) for e in rows] == [
        (1, "closure", 370, 370),
        (2, "adjustment", 500, 870),
        (3, "checkout", -600, 270),
    ]
    assert credits.balance_cents(household) == 270
    assert rows[1].actor == staff and rows[1].actor_label == staff.email
    assert credits.staff_granted_cents(household) == 500


def test_the_balance_never_goes_below_zero(household):
    credits.add_credit(household, 370, kind=CreditKind.CANCELLATION, reason="")
    with pytest.raises(credits.CreditRefused) as refused:
        credits.add_credit(household, -371, kind=CreditKind.CHECKOUT, reason="")
    assert refused.value.code == "insufficient"
    assert credits.balance_cents(household) == 370
    assert CreditEntry.objects.count() == 1


def test_staff_may_take_credit_back_only_down_to_zero_and_with_a_reason(household):
    staff = factories.staff()
    credits.adjust(household, 740, reason="Absence justifiée (certificat)", actor=staff)
    with pytest.raises(credits.CreditRefused) as refused:
        credits.adjust(household, -741, reason="Correction", actor=staff)
    assert refused.value.code == "insufficient"
    with pytest.raises(credits.CreditRefused) as refused:
        credits.adjust(household, -100, reason="   ", actor=staff)
    assert refused.value.code == "no_reason"
    credits.adjust(household, -740, reason="Correction", actor=staff)
    assert credits.balance_cents(household) == 0


def test_only_staff_adjust(household):
    parent = factories.guardian(household).user
    with pytest.raises(credits.CreditRefused) as refused:
        credits.adjust(household, 100, reason="Je me fais un cadeau", actor=parent)
    assert refused.value.code == "not_staff"
    assert not CreditEntry.objects.exists()


@pytest.mark.parametrize(
    ("amount", "kind", "code"),
    [
        (0, CreditKind.ADJUSTMENT, "zero"),
        (-370, CreditKind.CANCELLATION, "wrong_sign"),
        (-370, CreditKind.CLOSURE, "wrong_sign"),
        (-370, CreditKind.PAYMENT_SURPLUS, "wrong_sign"),
        (370, CreditKind.CHECKOUT, "wrong_sign"),
    ],
)
def test_amounts_must_match_their_kind(household, amount, kind, code):
    with pytest.raises(credits.CreditRefused) as refused:
        credits.add_credit(household, amount, kind=kind, reason="x")
    assert refused.value.code == code


def test_entries_cannot_be_changed_or_deleted_through_the_orm(household):
    entry = credits.add_credit(household, 370, kind=CreditKind.CLOSURE, reason="Sortie")
    entry.amount_cents = 10_000
    with pytest.raises(ImmutableEntry):
        entry.save()
    with pytest.raises(ImmutableEntry):
        entry.delete()
    with pytest.raises(ImmutableEntry):
        CreditEntry.objects.filter(pk=entry.pk).update(amount_cents=10_000)
    with pytest.raises(ImmutableEntry):
        CreditEntry.objects.all().delete()
    with pytest.raises(ImmutableEntry):
        CreditEntry.objects.bulk_create([CreditEntry(household=household, seq=9)])
    assert credits.balance_cents(household) == 370


def _raw_insert(household, seq, amount, balance, kind="adjustment", reason="x"):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO billing_creditentry (household_id, seq, amount_cents, "
            "balance_after_cents, kind, reason, actor_label, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, '', CURRENT_TIMESTAMP)",
            [household.pk, seq, amount, balance, kind, reason],
        )


@pytest.mark.parametrize(
    ("seq", "amount", "balance", "kind", "reason"),
    [
        (2, 0, 370, "adjustment", "x"),  # zero amount
        (2, -500, -130, "adjustment", "x"),  # negative balance
        (1, 100, 470, "adjustment", "x"),  # same sequence number twice
        (2, -100, 270, "closure", "x"),  # a closure that takes credit
        (2, 100, 470, "checkout", ""),  # a checkout that gives credit
        (2, 100, 470, "adjustment", ""),  # an adjustment without reason
    ],
)
def test_the_database_refuses_what_the_ledger_must_never_hold(
    household, seq, amount, balance, kind, reason
):
    credits.add_credit(household, 370, kind=CreditKind.CLOSURE, reason="Grève")
    with pytest.raises(IntegrityError):
        _raw_insert(household, seq, amount, balance, kind, reason)


def test_one_cancellation_or_closure_credit_per_booking():
    from tests.factories import paid_booking
    from tests.world.commune import build
    from tests.world.days import MONDAY

    world = build()
    booking = paid_booking(world.child, world.sessions[MONDAY])
    credits.add_credit(
        world.household, 370, kind=CreditKind.CANCELLATION, reason="", booking=booking
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        credits.add_credit(
            world.household, 370, kind=CreditKind.CLOSURE, reason="", booking=booking
        )
    assert credits.balance_cents(world.household) == 370


def test_open_credits_are_used_oldest_first(household):
    staff = factories.staff()
    first = credits.add_credit(household, 370, kind=CreditKind.CANCELLATION, reason="")
    second = credits.add_credit(household, 555, kind=CreditKind.CLOSURE, reason="Grève")
    third = credits.adjust(household, 200, reason="Geste", actor=staff)
    credits.add_credit(household, -500, kind=CreditKind.CHECKOUT, reason="")
    assert [(c.entry, c.remaining_cents) for c in credits.open_credits(household)] == [
        (second, 425),
        (third, 200),
    ]
    credits.add_credit(household, -425, kind=CreditKind.CHECKOUT, reason="")
    assert [(c.entry, c.remaining_cents) for c in credits.open_credits(household)] == [(third, 200)]
    assert first.pk  # fully used first
    assert sum(c.remaining_cents for c in credits.open_credits(household)) == (
        credits.balance_cents(household)
    )


def test_the_api_shows_the_ledger_balance(household):
    assert household_credit_balance_cents(household) == 0
    credits.add_credit(household, 740, kind=CreditKind.CANCELLATION, reason="")
    assert household_credit_balance_cents(household) == 740


def test_ledgers_are_per_household(household):
    other = factories.household()
    credits.add_credit(household, 740, kind=CreditKind.CANCELLATION, reason="")
    credits.add_credit(other, 100, kind=CreditKind.CANCELLATION, reason="")
    assert credits.balance_cents(household) == 740
    assert credits.balance_cents(other) == 100
    assert [e.seq for e in credits.entries(other)] == [1]
