"""What the service gestionnaire changes on a household: creation, enrolments, QF, credit.

Plain service functions, used by the pages (views/families.py) and the API
(api/views/staff_households.py) alike: they check everything, change everything in one
transaction, and write the staff's audit trail (audit.log_action). A refused change
raises `Refused` (field, message) and changes nothing.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.accounts.activation import send_activation_link
from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment
from portail.backoffice import audit
from portail.backoffice.models import StaffActionKind
from portail.billing import credits
from portail.billing.models import CreditEntry
from portail.core.locking import locked
from portail.core.money import format_cents
from portail.families import quotient
from portail.families.models import Child, Guardian, Household

NAME_MAX_LENGTH = 200
PERSON_NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
MAX_GUARDIANS = 4
MAX_CHILDREN = 12
MAX_ENROLMENTS = 20
QF_MAX = quotient.QF_MAX
# Credits adjusted by hand: at most 10 000 EUR either way in one movement.
ADJUSTMENT_MAX_CENTS = 1_000_000


class Refused(Exception):
    """A change refused before anything was written. `field` names the input at fault
    ("guardians[0].email", "valid_to"...; "" for the whole request)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class GuardianData:
    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class EnrolmentData:
    activity_id: int
    valid_from: datetime.date
    valid_to: datetime.date


@dataclass(frozen=True)
class ChildData:
    first_name: str
    last_name: str
    birth_date: datetime.date
    enrolments: Sequence[EnrolmentData] = field(default_factory=tuple)


@dataclass
class CreatedHousehold:
    household: Household
    guardians: list[Guardian]
    children: list[Child]
    enrolments: dict[int, list[Enrolment]]  # by child id, in the order given


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _text(value: str, name: str, max_length: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Refused(name, _("This field is required."))
    if len(value) > max_length:
        raise Refused(name, _("At most %(max)d characters, please.") % {"max": max_length})
    return value


def _email(value: str, name: str) -> str:
    email = _text(value, name, EMAIL_MAX_LENGTH).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(name, _("Enter a valid e-mail address.")) from None
    return email


def _check_period(valid_from: datetime.date, valid_to: datetime.date, prefix: str) -> None:
    if valid_to < valid_from:
        raise Refused(f"{prefix}valid_to", _("The end of the period must not be before its start."))


def _check_enrolment(
    child: Child | None,
    activity: Activity,
    valid_from: datetime.date,
    valid_to: datetime.date,
    prefix: str,
    planned: Sequence[tuple[int, datetime.date, datetime.date]] = (),
) -> None:
    """The period is in order and overlaps no other enrolment of the child in it."""
    _check_period(valid_from, valid_to, prefix)
    overlapping = any(
        activity_id == activity.pk and start <= valid_to and valid_from <= end
        for activity_id, start, end in planned
    )
    if child is not None and not overlapping:
        overlapping = Enrolment.objects.filter(
            child=child, activity=activity, valid_from__lte=valid_to, valid_to__gte=valid_from
        ).exists()
    if overlapping:
        raise Refused(
            f"{prefix}valid_from",
            _("The child is already enrolled in %(activity)s during part of this period.")
            % {"activity": activity.name},
        )


def create_household(
    *,
    name: str,
    guardians: Sequence[GuardianData],
    children: Sequence[ChildData],
    actor: User,
    request: HttpRequest | None = None,
) -> CreatedHousehold:
    """Create a household with its guardians (logins without a password) and children,
    enrol the children, then e-mail each guardian the "Lien d'activation du mot de passe".

    All or nothing: raises Refused (nothing written, nothing sent) when anything is wrong:
    no guardian, an e-mail already used by a login, an unknown activity, a period in the
    wrong order... The activation e-mails go once the rows are committed.
    """
    name = _text(name, "name", NAME_MAX_LENGTH)
    if not guardians:
        raise Refused("guardians", _("A household needs at least one guardian."))
    if len(guardians) > MAX_GUARDIANS:
        raise Refused("guardians", _("At most %(max)d guardians.") % {"max": MAX_GUARDIANS})
    if len(children) > MAX_CHILDREN:
        raise Refused("children", _("At most %(max)d children.") % {"max": MAX_CHILDREN})
    clean_guardians: list[GuardianData] = []
    seen: set[str] = set()
    for index, data in enumerate(guardians):
        prefix = f"guardians[{index}]."
        email = _email(data.email, prefix + "email")
        if email in seen or User.objects.filter(email__iexact=email).exists():
            raise Refused(
                prefix + "email", _("An account with this e-mail address already exists.")
            )
        seen.add(email)
        clean_guardians.append(
            GuardianData(
                email=email,
                first_name=_text(data.first_name, prefix + "first_name", 150),
                last_name=_text(data.last_name, prefix + "last_name", 150),
            )
        )
    activity_ids = {e.activity_id for c in children for e in c.enrolments}
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=activity_ids)}
    clean_children: list[ChildData] = []
    for index, data in enumerate(children):
        prefix = f"children[{index}]."
        if len(data.enrolments) > MAX_ENROLMENTS:
            raise Refused(
                prefix + "enrolments", _("At most %(max)d enrolments.") % {"max": MAX_ENROLMENTS}
            )
        planned: list[tuple[int, datetime.date, datetime.date]] = []
        for position, enrolment in enumerate(data.enrolments):
            where = f"{prefix}enrolments[{position}]."
            activity = activities.get(enrolment.activity_id)
            if activity is None:
                raise Refused(where + "activity_id", _("This activity does not exist."))
            _check_enrolment(
                None, activity, enrolment.valid_from, enrolment.valid_to, where, planned
            )
            planned.append((activity.pk, enrolment.valid_from, enrolment.valid_to))
        clean_children.append(
            ChildData(
                first_name=_text(data.first_name, prefix + "first_name", PERSON_NAME_MAX_LENGTH),
                last_name=_text(data.last_name, prefix + "last_name", PERSON_NAME_MAX_LENGTH),
                birth_date=data.birth_date,
                enrolments=tuple(data.enrolments),
            )
        )

    try:
        created = _create_rows(name, clean_guardians, clean_children, activities, actor)
    except IntegrityError:
        # Another request created a login with one of these e-mails meanwhile.
        raise Refused(
            "guardians", _("An account with this e-mail address already exists.")
        ) from None
    for guardian in created.guardians:
        send_activation(guardian, actor=actor, request=request)
    return created


def _create_rows(
    name: str,
    clean_guardians: list[GuardianData],
    clean_children: list[ChildData],
    activities: dict[int, Activity],
    actor: User,
) -> CreatedHousehold:
    with transaction.atomic():
        household = Household.objects.create(name=name, email=clean_guardians[0].email)
        made_guardians = []
        for data in clean_guardians:
            user = User.objects.create_user(
                email=data.email, first_name=data.first_name, last_name=data.last_name
            )
            made_guardians.append(Guardian.objects.create(user=user, household=household))
        made_children = []
        made_enrolments: dict[int, list[Enrolment]] = {}
        for data in clean_children:
            child = Child.objects.create(
                household=household,
                first_name=data.first_name,
                last_name=data.last_name,
                birth_date=data.birth_date,
            )
            made_children.append(child)
            made_enrolments[child.pk] = [
                Enrolment.objects.create(
                    child=child,
                    activity=activities[e.activity_id],
                    valid_from=e.valid_from,
                    valid_to=e.valid_to,
                )
                for e in data.enrolments
            ]
        audit.log_action(
            actor=actor,
            household=household,
            kind=StaffActionKind.HOUSEHOLD_CREATED,
            summary=_("Household %(name)s created: %(guardians)s; children: %(children)s.")
            % {
                "name": household.name,
                "guardians": ", ".join(g.user.email for g in made_guardians),
                "children": ", ".join(c.first_name for c in made_children) or "–",
            },
        )
        for child in made_children:
            for enrolment in made_enrolments[child.pk]:
                _log_enrolment(actor, enrolment)
    return CreatedHousehold(household, made_guardians, made_children, made_enrolments)


def send_activation(guardian: Guardian, *, actor: User, request: HttpRequest | None = None) -> None:
    """E-mail the guardian a fresh activation link (kept in "Mes documents")."""
    send_activation_link(guardian.user, request=request)
    audit.log_action(
        actor=actor,
        household=guardian.household,
        kind=StaffActionKind.ACTIVATION_SENT,
        summary=_("Activation link sent to %(email)s.") % {"email": guardian.user.email},
    )


def _log_enrolment(actor: User, enrolment: Enrolment) -> None:
    audit.log_action(
        actor=actor,
        household=enrolment.child.household,
        kind=StaffActionKind.ENROLMENT_ADDED,
        summary=_("%(child)s enrolled in %(activity)s from %(start)s to %(end)s.")
        % {
            "child": enrolment.child.first_name,
            "activity": enrolment.activity.name,
            "start": _date(enrolment.valid_from),
            "end": _date(enrolment.valid_to),
        },
    )


def enrol(
    child: Child,
    activity: Activity,
    *,
    valid_from: datetime.date,
    valid_to: datetime.date,
    actor: User,
) -> Enrolment:
    """Enrol `child` in `activity` for a period (the child may then book its days).

    Refused when the period is in the wrong order or overlaps another enrolment of the
    child in the same activity (extend by a new period after the current one instead).
    """
    with transaction.atomic():
        # Serialises enrolments of one household (two clicks, two tabs).
        locked(Household.objects.filter(pk=child.household_id))
        _check_enrolment(child, activity, valid_from, valid_to, "")
        enrolment = Enrolment.objects.create(
            child=child, activity=activity, valid_from=valid_from, valid_to=valid_to
        )
        _log_enrolment(actor, enrolment)
    return enrolment


def set_quotient_familial(
    household: Household,
    *,
    quotient_familial: int | None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None,
    actor: User,
) -> Household:
    """Set the household's QF from `valid_from` (empty: today) to `valid_to` (empty: until
    further notice); None: unknown over that span, the highest price band. Written through
    families.quotient.set_quotient (earlier periods are cut, later ones replaced).

    New prices follow at once for days not yet booked; days already booked keep the price
    they were booked at.
    """
    valid_from = valid_from or timezone.localdate()
    try:
        with transaction.atomic():
            quotient.set_quotient(
                household,
                quotient_familial,
                valid_from,
                valid_to,
                actor=actor,
                reason=_("Back office"),
            )
            if quotient_familial is None:
                summary = _("Quotient familial removed (unknown: highest price band).")
            else:
                summary = _("Quotient familial set to %(qf)s (valid %(period)s).") % {
                    "qf": quotient_familial,
                    "period": validity_text(valid_from, valid_to),
                }
            audit.log_action(
                actor=actor, household=household, kind=StaffActionKind.QF_SET, summary=summary
            )
    except quotient.QuotientRefused as refusal:
        field = {"value": "quotient_familial"}.get(refusal.field, refusal.field)
        raise Refused(field, refusal.message) from None
    return household


def validity_text(valid_from: datetime.date | None, valid_to: datetime.date | None) -> str:
    """ "from 01/09/2026 to 31/08/2027", "from 01/09/2026", "until ...", "without limit"."""
    if valid_from and valid_to:
        return _("from %(start)s to %(end)s") % {
            "start": _date(valid_from),
            "end": _date(valid_to),
        }
    if valid_from:
        return _("from %(start)s") % {"start": _date(valid_from)}
    if valid_to:
        return _("until %(end)s") % {"end": _date(valid_to)}
    return _("without limit")


def adjust_credit(
    household: Household, amount_cents: int, *, reason: str, actor: User
) -> CreditEntry:
    """Add (positive) or take back (negative) credit, with a reason; billing.credits writes
    the ledger (never below zero, nor into credit a pending payment holds)."""
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason", _("Give the reason for this adjustment."))
    if len(reason) > credits.REASON_MAX_LENGTH:
        raise Refused(
            "reason", _("At most %(max)d characters, please.") % {"max": credits.REASON_MAX_LENGTH}
        )
    if amount_cents == 0:
        raise Refused("amount_cents", _("The amount cannot be zero."))
    if abs(amount_cents) > ADJUSTMENT_MAX_CENTS:
        raise Refused(
            "amount_cents",
            _("At most %(max)s in one adjustment.") % {"max": format_cents(ADJUSTMENT_MAX_CENTS)},
        )
    with transaction.atomic():
        try:
            entry = credits.adjust(household, amount_cents, reason=reason, actor=actor)
        except credits.CreditRefused as refusal:
            raise Refused("amount_cents", refusal.message) from None
        audit.log_action(
            actor=actor,
            household=household,
            kind=StaffActionKind.CREDIT_ADJUSTED,
            summary=_("Credit adjusted by %(amount)s (balance %(balance)s).")
            % {
                "amount": format_cents(amount_cents),
                "balance": format_cents(entry.balance_after_cents),
            },
            reason=reason,
        )
    return entry
