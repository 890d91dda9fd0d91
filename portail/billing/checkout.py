"""OK / PAYER: settling the household's open basket.

- Amount due 0 (credit covers it, or only cancellations): validated at once, no payment:
  requests become reserved, cancellations cancelled, credit written, history written.
- 1 to 99 cents: refused (`below_minimum`): PayFiP takes 1,00 EUR at least; the parent
  adds days, or validates later when credit allows.
- From 1,00 EUR: a `Payment` row is written and the basket becomes `awaiting_payment`
  (its places stay held, it no longer expires) in one transaction; then, outside any
  transaction, PayFiP's creerPaiementSecurise is called. If PayFiP is down or refuses,
  the payment is marked `failed` and the basket opens again (`payfip_unavailable`):
  nothing is lost. Else the parent's browser goes to the payment page; payments.py takes
  it from there.

The basket is read under the household's row lock, the same lock every basket change
takes, so the amount sent to PayFiP is the basket's amount at that moment.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.accounts.models import User
from portail.billing import payments as payment_service
from portail.billing.models import PAYFIP_MIN_CENTS, Payment, PaymentState
from portail.billing.quote import Quote, quote
from portail.billing.settlement import DETAIL_VALIDATED, Settlement, settle
from portail.core.locking import locked
from portail.core.models import Organisation
from portail.core.money import format_cents
from portail.families.models import Guardian, Household
from portail.payfip import client
from portail.payfip.errors import PayfipError
from portail.payfip.validators import normalise_objet, validate_mel
from portail.reservations import holds
from portail.reservations.models import Basket, BasketStatus

logger = logging.getLogger("portail.billing")

__all__ = [
    "CheckoutRefused",
    "CheckoutResult",
    "checkout",
    "payer_email",
]

# CheckoutRefused codes.
NO_BASKET = "no_basket"
EMPTY = "empty"
CHANGED = "changed"
BELOW_MINIMUM = "below_minimum"
ABOVE_MAXIMUM = "above_maximum"
NO_EMAIL = "no_email"
PAYFIP_UNAVAILABLE = "payfip_unavailable"


@dataclass
class CheckoutResult:
    status: str  # "validated" | "awaiting_payment"
    basket: Basket
    payment: Payment | None  # the PayFiP payment when awaiting_payment
    payment_url: str | None  # where to send the browser when awaiting_payment
    quote: Quote
    settlement: Settlement | None = None  # what the validation did, when validated


class CheckoutRefused(Exception):
    """Nothing was paid or validated; `message` is in the active language.

    code: "no_basket" | "empty" | "changed" | "below_minimum" | "above_maximum" |
    "no_email" | "payfip_unavailable"
    """

    def __init__(self, code: str, message: str, quote: Quote | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.quote = quote


def payer_email(household: Household, actor: User | None) -> str | None:
    """The address PayFiP shows and sends its receipt to: the acting guardian's, else the
    first active guardian's that PayFiP accepts (6-80 ASCII characters)."""
    candidates: list[str] = []
    if actor is not None and Guardian.objects.filter(user=actor, household=household).exists():
        candidates.append(actor.email)
    candidates += list(
        household.guardians.filter(user__is_active=True)
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    for email in candidates:
        try:
            return validate_mel(email or "")
        except ValidationError:
            continue
    return None


def _objet(basket: Basket) -> str:
    org = Organisation.current()
    return f"{org.name if org else 'Portail Famille'} {basket.reference}"


def checkout(
    household: Household,
    *,
    actor: User,
    channel: str,
    now: datetime.datetime | None = None,
    expected_due_cents: int | None = None,
) -> CheckoutResult:
    """OK or PAYER on the household's open basket (see the module's docstring).

    `expected_due_cents`: the amount the page showed; if the basket now costs something
    else (changed in another tab, credit used meanwhile) the checkout is refused with
    "changed" so the parent sees the new amount first. Raises CheckoutRefused (nothing
    changed, except that a basket found past its hold is marked expired), PermissionDenied
    when `actor` does not act for `household`.
    """
    now = now or timezone.now()
    holds.check_actor(household, actor)
    refusal: CheckoutRefused | None = None
    result: CheckoutResult | None = None
    payment: Payment | None = None
    with transaction.atomic():
        holds.lock_household(household)
        basket = holds.current_open(household, now)
        if basket is None:
            refusal = CheckoutRefused(
                NO_BASKET, _("There is no basket to validate (it may have expired).")
            )
        elif not basket.lines.exists():
            refusal = CheckoutRefused(EMPTY, _("Your basket is empty."))
        else:
            totals = quote(basket)
            refusal = _refusal(totals, expected_due_cents)
            if refusal is None and totals.validates_without_payment:
                outcome = settle(
                    basket,
                    money_cents=0,
                    credit_budget_cents=totals.credit_applied_cents,
                    apply_cancellations=True,
                    final_status=BasketStatus.VALIDATED,
                    detail=DETAIL_VALIDATED,
                    actor=actor,
                    channel=channel,
                    at=now,
                )
                payment_service.notify_validated(basket, outcome)
                result = CheckoutResult("validated", basket, None, None, totals, outcome)
            elif refusal is None:
                mel = payer_email(household, actor)
                if mel is None:
                    refusal = CheckoutRefused(
                        NO_EMAIL,
                        _(
                            "Online payment needs a valid e-mail address for this household: "
                            "please contact the service."
                        ),
                        totals,
                    )
                else:
                    payment = _new_payment(basket, totals, mel, actor, channel, now)
                    result = CheckoutResult("awaiting_payment", basket, payment, None, totals)
    if refusal is not None:
        raise refusal
    assert result is not None
    if payment is None:
        return result
    result.payment_url = create_on_payfip(payment, now, unavailable=_unavailable)
    return result


def _refusal(totals: Quote, expected_due_cents: int | None) -> CheckoutRefused | None:
    if expected_due_cents is not None and expected_due_cents != totals.amount_due_cents:
        return CheckoutRefused(
            CHANGED,
            _("The amount to pay is now %(amount)s: please check your basket again.")
            % {"amount": format_cents(totals.amount_due_cents)},
            totals,
        )
    if totals.below_minimum:
        return CheckoutRefused(
            BELOW_MINIMUM,
            _(
                "The amount to pay (%(amount)s) is below the minimum of %(minimum)s for an "
                "online payment. Add days to your basket, or validate it later when your "
                "credit covers it."
            )
            % {
                "amount": format_cents(totals.amount_due_cents),
                "minimum": format_cents(PAYFIP_MIN_CENTS),
            },
            totals,
        )
    if totals.above_maximum:
        return CheckoutRefused(
            ABOVE_MAXIMUM,
            _("The amount to pay (%(amount)s) is above the maximum of an online payment.")
            % {"amount": format_cents(totals.amount_due_cents)},
            totals,
        )
    return None


def _new_payment(
    basket: Basket,
    totals: Quote,
    mel: str,
    actor: User,
    channel: str,
    now: datetime.datetime,
) -> Payment:
    """The payment row and the basket's move to awaiting_payment (household locked)."""
    attempt = (basket.payments.aggregate(last=Max("attempt"))["last"] or 0) + 1
    payment = Payment.objects.create(
        basket=basket,
        household=basket.household,
        attempt=attempt,
        refdet=f"{basket.reference}P{attempt}",
        state=PaymentState.PENDING,
        amount_cents=totals.amount_due_cents,
        reservations_cents=totals.reservations_total_cents,
        cancellations_cents=totals.cancellations_total_cents,
        credit_applied_cents=totals.credit_applied_cents,
        credit_hold_cents=totals.credit_hold_cents,
        numcli=settings.PAYFIP_NUMCLI,
        exer=timezone.localdate(now).year,
        mel=mel,
        objet=normalise_objet(_objet(basket)),
        actor=actor,
        channel=channel,
        created_at=now,
    )
    basket.status = BasketStatus.AWAITING_PAYMENT
    basket.save(update_fields=["status", "updated_at"])
    return payment


def _unavailable() -> CheckoutRefused:
    return CheckoutRefused(
        PAYFIP_UNAVAILABLE,
        _(
            "The online payment service is not available at the moment. Your basket is "
            "kept: please try again in a few minutes."
        ),
    )


def create_on_payfip(
    payment: Payment, now: datetime.datetime, *, unavailable: Callable[[], Exception]
) -> str:
    """creerPaiementSecurise for `payment` (a basket's or an invoice's), outside any
    transaction; the payment page's URL. When PayFiP cannot create it, the payment fails
    (payments.creation_failed) and `unavailable()` is raised: the caller's refusal, in
    its own words."""
    request = client.PaymentRequest(
        exer=payment.exer,
        mel=payment.mel,
        montant_cents=payment.amount_cents,
        objet=payment.objet,
        refdet=payment.refdet,
    )
    try:
        idop = client.create_payment(
            request,
            urlnotif=client.site_url(payment_service.NOTIFY_PATH),
            urlredirect=client.site_url(payment_service.RETURN_PATH),
            numcli=payment.numcli,
        )
    except (PayfipError, ValidationError) as error:
        code = error.code if isinstance(error, PayfipError) else f"invalid:{error.code}"
        payment_service.creation_failed(payment, code=code, message=str(error), now=now)
        raise unavailable() from error
    except BaseException as error:
        payment_service.creation_failed(
            payment, code="error", message=f"{type(error).__name__}: {error}", now=now
        )
        raise
    with transaction.atomic():
        holds.lock_household(payment.household)
        (row,) = locked(Payment.objects.filter(pk=payment.pk))
        if row.state != PaymentState.PENDING or row.idop:
            # Given up meanwhile (check_payments found it stuck): never send the parent.
            logger.warning("Payment %s: idOp %s arrived too late", row.refdet, idop)
            raise unavailable()
        row.idop = idop
        row.save(update_fields=["idop", "updated_at"])
    payment.idop = idop
    return client.payment_page_url(idop)
