"""Past history for the demo household, written through the reservation services.

The seed's recap shows, for Emy's canteen days, rows such as "Service gestionnaire –
Ajout : RESERVATION", "edwige.pages@… – Suppression : RESERVATION" and "Service
gestionnaire – Suppression : RESERVATION" a few minutes apart. This replays that story a
few weeks ago with the real services (`submit_changes`, `drop_basket`) and their `now`
parameter, so the rows are exactly what the portal itself writes: staff book four
canteen days for Emy and Lise, the parent withdraws one of Emy's, staff then drop the
rest of the basket.

Paid bookings ("Réservé(e)") need the payment step, which the checkout issue adds; until
then the demo has no past paid days.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.demo.builder import CANTEEN_MALVES, DEMO_HOUSEHOLD, PARENT_EMAIL, STAFF_EMAIL
from portail.families.models import Household
from portail.reservations.basket import Change, drop_basket, hold_minutes, submit_changes
from portail.reservations.models import Booking, Channel, HistoryEntry

# How many past canteen days the story uses.
STORY_DAYS = 4


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
    return HistoryEntry.objects.count() - before
