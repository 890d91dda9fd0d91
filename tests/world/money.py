"""PayFiP's answer about a payment, and the money a test checks is kept."""

from django.db.models import Sum

from portail.billing import credits
from portail.billing.models import Payment, PaymentState
from portail.payfip.client import PaymentDetail
from portail.reservations.models import Booking, BookingStatus
from tests.world.days import NOW


def detail(payment: Payment, resultrans: str = "P", **changes) -> PaymentDetail:
    """PayFiP's answer about `payment`, as recupererDetailPaiementSecurise would give it."""
    values = {
        "idop": payment.idop,
        "resultrans": resultrans,
        "montant_cents": payment.amount_cents,
        "refdet": payment.refdet,
        "numcli": payment.numcli,
        "mel": payment.mel,
        "exer": payment.exer,
        "objet": payment.objet,
        "numauto": "123456" if resultrans in ("P", "V") else "",
        "transaction_at": NOW.replace(minute=5),
        "saisie": "T",
    }
    values.update(changes)
    return PaymentDetail(**values)


def statuses(bookings) -> list[str]:
    return [Booking.objects.get(pk=b.pk).status for b in bookings]


def reserved_cents(household) -> int:
    """The price of the household's confirmed (reserved) bookings."""
    return (
        Booking.objects.filter(child__household=household, status=BookingStatus.RESERVED).aggregate(
            total=Sum("price_cents")
        )["total"]
        or 0
    )


def paid_cents(household) -> int:
    return (
        Payment.objects.filter(household=household, state=PaymentState.PAID).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )


def assert_money_kept(household, *, before_cents: int = 0) -> None:
    """Money paid + staff credit (+ what was already reserved) = reserved + credit."""
    assert paid_cents(household) + credits.staff_granted_cents(household) + before_cents == (
        reserved_cents(household) + credits.balance_cents(household)
    )
