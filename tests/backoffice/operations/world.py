"""A small town for the back office's day-to-day tests (head counts, attendance,
sessions, payments), on the clock (the suite's, tests/clock.py): the pages and the API use it.

- "École Malves": the canteen "Restauration Scolaire Malves" every day of the week,
  3,70 € (5,55 € late), sessions yesterday, today and in three weeks; an ALAE that needs
  no booking, today.
- "École Pennautier": another canteen today (the attendance agent's other site).
- Household MARTIN: Emy (diet "sans porc") and Lise (PAI), a guardian with a login;
  household DURAND: Tom. All three enrolled in the Malves canteen and ALAE.
- Staff: a gestionnaire (Camille ROUX), an attendance agent of Malves (Karim BENALI), a
  kitchen account.
"""

import datetime
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, grant_role
from portail.core.models import Site
from portail.families.models import Child, Household
from portail.reservations.models import Basket, BasketStatus, Booking, BookingStatus
from tests import factories
from tests.factories import paid_booking  # noqa: F401 (re-exported for the tests)

PASSWORD = "secret-pass-123"
EVERY_DAY = "0,1,2,3,4,5,6"


@dataclass
class Town:
    site: Site
    other_site: Site
    canteen: Activity
    alae: Activity
    other_canteen: Activity
    yesterday: Session
    today: Session
    future: Session
    alae_today: Session
    other_today: Session
    martin: Household
    parent: User
    emy: Child
    lise: Child
    durand: Household
    durand_parent: User
    tom: Child
    gestionnaire: User
    pointage: User
    cuisine: User


def build_town() -> Town:
    day = timezone.localdate()
    site = factories.site(name="École Malves")
    other_site = factories.site(name="École Pennautier")
    canteen = factories.activity(
        site, name="Restauration Scolaire Malves", weekdays=EVERY_DAY, default_capacity=30
    )
    alae = factories.activity(
        site,
        name="ALAE Malves soir",
        kind=Activity.Kind.ALAE,
        weekdays=EVERY_DAY,
        requires_booking=False,
        start_time=datetime.time(16, 30),
        end_time=datetime.time(18, 30),
    )
    other_canteen = factories.activity(
        other_site, name="Restauration Scolaire Pennautier", weekdays=EVERY_DAY
    )
    factories.tariff([canteen, other_canteen], [(0, None, 370, 555)])
    martin = factories.household(name="MARTIN")
    parent = factories.guardian(martin, email="parent.martin@example.org").user
    emy = factories.child(martin, first_name="Emy", last_name="MARTIN", special_diet="sans porc")
    lise = factories.child(martin, first_name="Lise", last_name="MARTIN", has_pai=True)
    durand = factories.household(name="DURAND")
    durand_parent = factories.guardian(durand, email="parent.durand@example.org").user
    tom = factories.child(durand, first_name="Tom", last_name="DURAND")
    for kid in (emy, lise, tom):
        factories.enrolment(kid, canteen)
        factories.enrolment(kid, alae)
    gestionnaire = factories.staff(
        email="gestion@example.org", first_name="Camille", last_name="ROUX"
    )
    grant_role(gestionnaire, GESTIONNAIRE)
    pointage = factories.staff(email="pointage@example.org", first_name="Karim", last_name="BENALI")
    grant_role(pointage, POINTAGE, sites=[site])
    cuisine = factories.staff(email="cuisine@example.org")
    grant_role(cuisine, CUISINE)
    return Town(
        site=site,
        other_site=other_site,
        canteen=canteen,
        alae=alae,
        other_canteen=other_canteen,
        yesterday=factories.session(canteen, day - datetime.timedelta(days=1)),
        today=factories.session(canteen, day),
        future=factories.session(canteen, day + datetime.timedelta(days=21)),
        alae_today=factories.session(alae, day),
        other_today=factories.session(other_canteen, day),
        martin=martin,
        parent=parent,
        emy=emy,
        lise=lise,
        durand=durand,
        durand_parent=durand_parent,
        tom=tom,
        gestionnaire=gestionnaire,
        pointage=pointage,
        cuisine=cuisine,
    )


def held_request(
    child: Child, session: Session, *, minutes: int = 30, status: str = BasketStatus.OPEN
) -> Booking:
    """A reservation request in a basket: held for `minutes` more (negative: lapsed)."""
    basket = Basket.objects.filter(household=child.household, status=status).first()
    if basket is None:
        basket = Basket.objects.create(
            household=child.household,
            reference=f"PFR{child.pk}X{session.pk}",
            status=status,
            expires_at=timezone.now() + datetime.timedelta(minutes=minutes),
        )
    return Booking.objects.create(
        child=child, session=session, status=BookingStatus.REQUESTED, price_cents=370, basket=basket
    )


def client_for(user: User) -> Client:
    """Signed in, asking for English (the msgids: the tests do not depend on a catalogue)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client
