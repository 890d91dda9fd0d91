"""Plain functions that build valid domain objects for tests (real database rows)."""

import datetime
import itertools

from portail.accounts.models import User
from portail.activities.models import (
    Activity,
    BillingMode,
    Enrolment,
    Session,
    Tariff,
    TariffBand,
)
from portail.billing.models import Payment
from portail.core.models import Organisation, Site
from portail.families.models import Child, Guardian, Household, QuotientPeriod
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus, Channel
from tests.clock import NOW

_seq = itertools.count(1)


def organisation(**fields) -> Organisation:
    fields.setdefault("name", "Commune de Test")
    fields.setdefault("school_zone", "C")
    fields.setdefault("payfip_numcli", "123456")
    return Organisation.objects.create(**fields)


def site(org: Organisation | None = None, **fields) -> Site:
    org = org or Organisation.current() or organisation()
    fields.setdefault("name", f"École {next(_seq)}")
    return Site.objects.create(organisation=org, **fields)


def activity(site_: Site | None = None, **fields) -> Activity:
    site_ = site_ or site()
    fields.setdefault("name", f"Restauration Scolaire {next(_seq)}")
    fields.setdefault("kind", Activity.Kind.CANTEEN)
    fields.setdefault("weekdays", "0,1,3,4")
    fields.setdefault("start_time", datetime.time(12, 0))
    fields.setdefault("end_time", datetime.time(13, 30))
    fields.setdefault("default_capacity", 50)
    if not fields.get("requires_booking", True):
        fields.setdefault("billing_mode", BillingMode.ON_ATTENDANCE)
    return Activity.objects.create(site=site_, **fields)


def session(
    activity_: Activity | None = None, day: datetime.date | None = None, **fields
) -> Session:
    activity_ = activity_ or activity()
    fields.setdefault("capacity", activity_.default_capacity)
    return Session.objects.create(activity=activity_, date=day or datetime.date.today(), **fields)


def tariff(
    activities: list[Activity],
    bands: list[tuple[int, int | None, int, int]] | None = None,
    valid_from: datetime.date = datetime.date(2000, 1, 1),
    valid_to: datetime.date = datetime.date(2100, 12, 31),
) -> Tariff:
    """bands: (qf_min, qf_max, price_cents, late_price_cents)."""
    t = Tariff.objects.create(name=f"Tarif {next(_seq)}", valid_from=valid_from, valid_to=valid_to)
    t.activities.set(activities)
    for qf_min, qf_max, price, late in bands or [(0, None, 370, 555)]:
        TariffBand.objects.create(
            tariff=t, qf_min=qf_min, qf_max=qf_max, price_cents=price, late_price_cents=late
        )
    return t


def household(
    *,
    quotient_familial: int | None = None,
    qf_valid_from: datetime.date | None = None,
    qf_valid_to: datetime.date | None = None,
    **fields,
) -> Household:
    """A household; with `quotient_familial`, its one QF period (from `qf_valid_from`,
    default 2000-01-01, to `qf_valid_to`, default until further notice)."""
    fields.setdefault("name", f"FAMILLE-{next(_seq)}")
    made = Household.objects.create(**fields)
    if quotient_familial is not None:
        quotient_period(made, quotient_familial, qf_valid_from, qf_valid_to)
    return made


def quotient_period(
    household_: Household,
    value: int,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> QuotientPeriod:
    """A QF period written straight (no lock, no cutting: tests of set_quotient use it)."""
    period = QuotientPeriod.objects.create(
        household=household_,
        value=value,
        valid_from=valid_from or datetime.date(2000, 1, 1),
        valid_to=valid_to,
    )
    household_.__dict__.pop("_quotient_periods", None)
    return period


def guardian(
    household_: Household | None = None,
    email: str | None = None,
    password: str = "secret-pass-123",
    **fields,
) -> Guardian:
    household_ = household_ or household()
    user = User.objects.create_user(
        email=email or f"parent{next(_seq)}@example.org", password=password, **fields
    )
    return Guardian.objects.create(user=user, household=household_)


def staff(email: str | None = None, password: str = "staff-pass-123", **fields) -> User:
    fields.setdefault("is_staff", True)
    return User.objects.create_user(
        email=email or f"staff{next(_seq)}@example.org", password=password, **fields
    )


def child(household_: Household | None = None, **fields) -> Child:
    household_ = household_ or household()
    fields.setdefault("first_name", f"Enfant{next(_seq)}")
    fields.setdefault("last_name", household_.name)
    fields.setdefault("birth_date", datetime.date(2017, 5, 4))
    return Child.objects.create(household=household_, **fields)


def enrolment(
    child_: Child,
    activity_: Activity,
    valid_from: datetime.date = datetime.date(2000, 1, 1),
    valid_to: datetime.date = datetime.date(2100, 12, 31),
) -> Enrolment:
    return Enrolment.objects.create(
        child=child_, activity=activity_, valid_from=valid_from, valid_to=valid_to
    )


def paid_booking(child_: Child, session_: Session, price: int = 370, late: bool = False) -> Booking:
    """A booking as the checkout leaves it: reserved, in a validated basket of its own
    (invoiced after the fact when its activity is invoiced on booking)."""
    basket = Basket.objects.create(
        household=child_.household,
        reference=f"PFPAID{child_.pk}X{session_.pk}",
        status=BasketStatus.VALIDATED,
    )
    return Booking.objects.create(
        child=child_,
        session=session_,
        status=BookingStatus.RESERVED,
        price_cents=price,
        late=late,
        invoiced=session_.activity.billing_mode == BillingMode.ON_BOOKING,
        basket=basket,
    )


def pending_basket_payment(household: Household, *, hold: int) -> Payment:
    """A basket awaiting its PayFiP payment, which keeps `hold` cents of the household's
    credit aside (billing.credits.available_cents() leaves them out)."""
    basket = Basket.objects.create(
        household=household,
        reference="PF2026000999",
        status=BasketStatus.AWAITING_PAYMENT,
        expires_at=NOW,
    )
    return Payment.objects.create(
        basket=basket,
        household=household,
        attempt=1,
        refdet="PF2026000999P1",
        amount_cents=1000,
        reservations_cents=1000 + hold,
        cancellations_cents=0,
        credit_applied_cents=hold,
        credit_hold_cents=hold,
        numcli="012345",
        exer=2026,
        mel="parent@example.org",
        channel=Channel.WEB,
    )
