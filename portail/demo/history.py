"""Past history for the demo household, written through the reservation services.

The seed's recap shows, for Emy's canteen days, rows such as "Service gestionnaire –
Ajout : RESERVATION", "edwige.pages@… – Suppression : RESERVATION" and "Service
gestionnaire – Suppression : RESERVATION" a few minutes apart. This replays that story a
few weeks ago with the real services (`submit_changes`, `drop_basket`) and their `now`
parameter, so the rows are exactly what the portal itself writes: staff book four
canteen days for Emy and Lise, the parent withdraws one of Emy's, staff then drop the
rest of the basket.

Then the paid weeks (`_paid_weeks`): the last two school weeks before that story (weeks
of school holidays skipped), Emy's and Lise's canteen days booked by the parent on the
website and paid at the service's counter (billing.counter.record_counter_payment: the
same settlement as a PayFiP payment, which cannot run offline), so the planning shows
green "Réservé(e)" days and "Mes documents" holds the payment tickets; then the parent
cancels Lise's last day of the last paid week in time, a cancellation-only basket
validated with OK, which leaves a 3,70 EUR credit (avoir) for the next reservation.
Last, the pointage of the past weeks, Emy's supervised homework days (invoiced on booking)
and the invoices of the past months (demo.invoices). The e-mails these send are not sent
(the demo's addresses are fictitious) but kept in "Mes documents", dated when they
happened.
"""

import datetime

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment, Session
from portail.billing.checkout import checkout
from portail.billing.counter import record_counter_payment
from portail.billing.models import CounterMeans
from portail.demo.commune import CANTEEN_MALVES, DEMO_HOUSEHOLD, PARENT_EMAIL, STAFF_EMAIL
from portail.demo.invoices import build_demo_invoices
from portail.families.models import Child, Document, Household
from portail.reservations.basket import submit_changes
from portail.reservations.holds import drop_basket, hold_minutes
from portail.reservations.judging import Change
from portail.reservations.models import Basket, Booking, Channel, HistoryEntry

# How many past canteen days the story uses.
STORY_DAYS = 4
# How many school weeks before the story are booked and paid, looking at most this far
# back for weeks with canteen days (school holidays have none; the summer's last 9 weeks).
PAID_WEEKS = 2
PAID_WEEKS_SEARCH = 16
# The demo's mail is kept in "Mes documents", never sent.
NO_MAIL = "django.core.mail.backends.dummy.EmailBackend"


def build_demo_history(today: datetime.date | None = None) -> int:
    """Write the story once; returns how many history rows it wrote (0 when already there).

    Skipped when the demo household already has any booking (the story was written, or
    someone has used the demo since), so loading the demo twice adds nothing."""
    today = today or timezone.localdate()
    household = Household.objects.filter(name=DEMO_HOUSEHOLD).order_by("pk").first()
    if household is None:
        return 0
    children = {child.first_name: child for child in household.children.all()}
    emy, lise = children.get("Emy"), children.get("Lise")
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    parent = User.objects.filter(email=PARENT_EMAIL).first()
    canteen = Activity.objects.filter(name=CANTEEN_MALVES).first()
    if None in (emy, lise, staff, parent, canteen):
        return 0
    if Booking.objects.filter(child__household=household).exists():
        return 0

    # The latest canteen days at least a week ago that both children were enrolled for.
    enrolment = emy.enrolments.filter(activity=canteen).order_by("valid_from").first()
    if enrolment is None:
        return 0
    sessions = list(
        Session.objects.filter(
            activity=canteen,
            is_open=True,
            date__gte=enrolment.valid_from,
            date__lt=today - datetime.timedelta(days=7),
        ).order_by("-date")[:STORY_DAYS]
    )
    sessions.reverse()
    if len(sessions) < 2:
        return 0

    # Two weeks before the first day, at 10:21 as in the seed; the steps stay within the
    # basket's hold so the services see one open basket.
    start = timezone.make_aware(
        datetime.datetime.combine(
            sessions[0].date - datetime.timedelta(days=14), datetime.time(10, 21)
        )
    )
    hold = datetime.timedelta(minutes=hold_minutes(canteen))
    parent_at = start + min(datetime.timedelta(minutes=1), hold / 3)
    drop_at = start + min(datetime.timedelta(minutes=3), hold * 2 / 3)

    before = HistoryEntry.objects.count()
    with override_settings(EMAIL_BACKEND=NO_MAIL):
        with transaction.atomic():
            submit_changes(
                household,
                add=[Change(child.pk, s.pk) for s in sessions for child in (emy, lise)],
                cancel=[],
                actor=staff,
                channel=Channel.BACKOFFICE,
                now=start,
                bypass_deadlines=True,
            )
            submit_changes(
                household,
                add=[],
                cancel=[Change(emy.pk, sessions[-1].pk)],
                actor=parent,
                channel=Channel.WEB,
                now=parent_at,
            )
            drop_basket(household, actor=staff, channel=Channel.BACKOFFICE, now=drop_at)
            settled = _paid_weeks(household, enrolment, (emy, lise), parent, staff, sessions[0])
        # The tickets were written when the transaction committed (just now, unless a
        # caller's transaction is still open): date them when they happened.
        for basket, at in settled:
            Document.objects.filter(household=household, title__contains=basket.reference).update(
                created_at=at
            )
        build_demo_invoices(today)
    return HistoryEntry.objects.count() - before


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _paid_weeks(
    household: Household,
    enrolment: Enrolment,
    children: tuple[Child, ...],
    parent: User,
    staff: User,
    first_story_day: Session,
) -> list[tuple[Basket, datetime.datetime]]:
    """The paid weeks and the cancellation (see the module's docstring); the baskets
    settled, with when. Nothing when the school year has no such weeks yet."""
    canteen = enrolment.activity
    story_monday = _monday(first_story_day.date)
    weeks = []
    for back in range(1, PAID_WEEKS_SEARCH + 1):
        monday = story_monday - datetime.timedelta(weeks=back)
        if monday + datetime.timedelta(days=7) <= enrolment.valid_from:
            break
        days = list(
            Session.objects.filter(
                activity=canteen,
                is_open=True,
                date__gte=max(monday, enrolment.valid_from),
                date__lt=monday + datetime.timedelta(days=7),
            ).order_by("date")
        )
        if days:
            weeks.insert(0, (monday, days))
        if len(weeks) == PAID_WEEKS:
            break
    hold = datetime.timedelta(minutes=hold_minutes(canteen))
    settled: list[tuple[Basket, datetime.datetime]] = []
    for monday, days in weeks:
        # Booked on the website two weeks ahead, paid at the counter a few minutes later.
        booked_at = _at(monday - datetime.timedelta(days=14), 18, 40)
        paid_at = booked_at + min(datetime.timedelta(minutes=10), hold / 3)
        basket = submit_changes(
            household,
            add=[Change(child.pk, day.pk) for day in days for child in children],
            cancel=[],
            actor=parent,
            channel=Channel.WEB,
            now=booked_at,
        )
        record_counter_payment(
            basket, means=CounterMeans.CARD, actor=staff, reference="Démo", now=paid_at
        )
        settled.append((basket, paid_at))
    if not weeks:
        return settled
    # Lise's last day of the last paid week, cancelled in time (a week before):
    # the price paid becomes a credit, kept for the next reservation.
    monday, days = weeks[-1]
    cancelled_at = _at(monday - datetime.timedelta(days=7), 20, 15)
    basket = submit_changes(
        household,
        add=[],
        cancel=[Change(children[-1].pk, days[-1].pk)],
        actor=parent,
        channel=Channel.WEB,
        now=cancelled_at,
    )
    validated_at = cancelled_at + datetime.timedelta(minutes=1)
    checkout(household, actor=parent, channel=Channel.WEB, now=validated_at, expected_due_cents=0)
    settled.append((basket, validated_at))
    return settled
