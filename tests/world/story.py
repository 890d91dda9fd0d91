"""The seed's recap story, written through the reservation services.

Emy PAGES-TEST is enrolled in "Restauration Scolaire Malves" (École de Malves) from
01/09/2022 to 07/07/2023. On Friday 17 March 2023 (Paris time):
- 10:21 staff book Monday 3, Tuesday 4, Thursday 6 and Friday 7 April (back office);
- 10:22 the parent withdraws Thursday 6 from the basket (website);
- 10:24 staff drop the basket: the three other days are removed.
Then the parent books Monday 3 again (website, 20 March 9:05), and on Monday 3 April staff
record Emy absent (attendance, 14:00). Lise, her sister, and another household are there
to prove what must not show.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction

from portail.accounts.models import User
from portail.activities.models import Activity, Enrolment, Session
from portail.families.models import Child, Household
from portail.reservations import history
from portail.reservations.basket import submit_changes
from portail.reservations.holds import drop_basket
from portail.reservations.judging import Change
from portail.reservations.models import Attendance, Channel, HistoryAction
from tests import factories
from tests.clock import paris
from tests.world.commune import PASSWORD

PARENT_EMAIL = "edwige.pages@example.org"
DAYS = [
    datetime.date(2023, 4, 3),
    datetime.date(2023, 4, 4),
    datetime.date(2023, 4, 6),
    datetime.date(2023, 4, 7),
]


@dataclass
class Story:
    household: Household
    parent: User
    staff: User
    emy: Child
    lise: Child
    canteen: Activity
    enrolment: Enrolment
    lise_enrolment: Enrolment
    sessions: dict[datetime.date, Session]
    other_household: Household
    other_parent: User
    other_child: Child
    other_enrolment: Enrolment


def build_story() -> Story:
    org = factories.organisation(
        name="Carcassonne Agglo",
        contact_email="portail@carcassonne-agglo.example",
        contact_phone="04 68 10 56 00",
    )
    malves = factories.site(org, name="École de Malves", address="1 place de l'École\n11600 Malves")
    canteen = factories.activity(malves, name="Restauration Scolaire Malves")
    factories.tariff([canteen], [(0, None, 370, 555)])
    sessions = {day: factories.session(canteen, day) for day in DAYS}

    household = factories.household(name="PAGES-TEST")
    parent = factories.guardian(
        household, email=PARENT_EMAIL, password=PASSWORD, first_name="Edwige", last_name="PAGES"
    ).user
    emy = factories.child(household, first_name="Emy", last_name="PAGES-TEST")
    lise = factories.child(household, first_name="Lise", last_name="PAGES-TEST")
    valid = {"valid_from": datetime.date(2022, 9, 1), "valid_to": datetime.date(2023, 7, 7)}
    enrolment = factories.enrolment(emy, canteen, **valid)
    lise_enrolment = factories.enrolment(lise, canteen, **valid)
    staff = factories.staff(email="agent@carcassonne-agglo.example")

    other_household = factories.household(name="MARTIN")
    other_parent = factories.guardian(other_household, email="martin@example.org").user
    other_child = factories.child(other_household, first_name="Sofia", last_name="MARTIN")
    other_enrolment = factories.enrolment(other_child, canteen, **valid)

    with transaction.atomic():
        submit_changes(
            household,
            add=[Change(emy.pk, sessions[day].pk) for day in DAYS],
            cancel=[],
            actor=staff,
            channel=Channel.BACKOFFICE,
            now=paris(2023, 3, 17, 10, 21),
            bypass_deadlines=True,
        )
        submit_changes(
            household,
            add=[],
            cancel=[Change(emy.pk, sessions[DAYS[2]].pk)],
            actor=parent,
            channel=Channel.WEB,
            now=paris(2023, 3, 17, 10, 22),
        )
        drop_basket(
            household, actor=staff, channel=Channel.BACKOFFICE, now=paris(2023, 3, 17, 10, 24)
        )
        submit_changes(
            household,
            add=[Change(emy.pk, sessions[DAYS[0]].pk)],
            cancel=[],
            actor=parent,
            channel=Channel.WEB,
            now=paris(2023, 3, 20, 9, 5),
        )
        # Another household's history, which must never show in Emy's.
        submit_changes(
            other_household,
            add=[Change(other_child.pk, sessions[DAYS[1]].pk)],
            cancel=[],
            actor=other_parent,
            channel=Channel.WEB,
            now=paris(2023, 3, 18, 8, 0),
        )
    record_attendance(emy, sessions[DAYS[0]], staff, present=False, at=paris(2023, 4, 3, 14, 0))
    return Story(
        household,
        parent,
        staff,
        emy,
        lise,
        canteen,
        enrolment,
        lise_enrolment,
        sessions,
        other_household,
        other_parent,
        other_child,
        other_enrolment,
    )


def record_attendance(
    child: Child, session: Session, staff: User, *, present: bool, at: datetime.datetime
) -> None:
    """What the attendance screens will do: the mark, and its history row."""
    Attendance.objects.create(child=child, session=session, present=present, recorded_by=staff)
    history.record(
        child=child,
        session=session,
        action=HistoryAction.ATTENDANCE_PRESENT if present else HistoryAction.ATTENDANCE_ABSENT,
        actor=staff,
        channel=Channel.BACKOFFICE,
        price_cents=370,
        at=at,
    )
