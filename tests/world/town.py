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

from django.utils import timezone

from portail.accounts.models import User
from portail.activities.models import Activity, Session
from portail.core.models import Site
from portail.families.models import Child, Household
from tests import factories
from tests.world import staff

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
        gestionnaire=staff.gestionnaire("gestion@example.org"),
        pointage=staff.pointage([site], "pointage@example.org"),
        cuisine=staff.cuisine("cuisine@example.org"),
    )
