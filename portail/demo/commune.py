"""The demo commune's data: its organisation, sites, activities, tariffs and households.

Plain constants, read by builder.build_demo(), which creates or refreshes the rows from
them (and by the demo's paid history, demo.history). Dates that follow today (school
years, enrolments, documents) are computed by the builder, not written here; the
children's birth dates are fixed.
"""

import datetime
from dataclasses import dataclass

from portail.activities.models import Activity, BillingMode, DeadlineKind, LatePolicy

ORGANISATION_NAME = "Carcassonne Agglo (démo)"
PARENT_EMAIL = "parent@example.org"
PARENT_PASSWORD = "parent-demo"
STAFF_EMAIL = "gestion@example.org"
STAFF_PASSWORD = "gestion-demo"
# Back-office roles (portail.backoffice): an attendance agent for École de Malves and a
# kitchen account that only reads head counts.
POINTAGE_EMAIL = "pointage@example.org"
POINTAGE_PASSWORD = "pointage-demo"
CUISINE_EMAIL = "cuisine@example.org"
CUISINE_PASSWORD = "cuisine-demo"
DEMO_HOUSEHOLD = "PAGES-TEST"
CLOSURE_REASON = "Grève du personnel de restauration (démo)"

WELCOME_TEXT = (
    "Chers parents,\n\n"
    "Bienvenue sur votre nouveau Portail Famille.\n"
    "Vous trouverez le guide d'utilisation du Portail en cliquant sur le lien ci-dessous :"
)

# QF bands used by every tariff: (qf_min, qf_max); None means no upper limit.
QF_BANDS: list[tuple[int, int | None]] = [(0, 599), (600, 999), (1000, 1499), (1500, None)]

MALVES_SCHOOL = "École de Malves"
VILLEMOUSTAUSSOU_SCHOOL = "École de Villemoustaussou"
MALVES_CENTRE = "Centre de loisirs de Malves"

CANTEEN_MALVES = "Restauration Scolaire Malves"
CANTEEN_VILLEMOUSTAUSSOU = "Restauration Scolaire Villemoustaussou"
ALAE_MORNING = "ALAE matin Malves"
ALAE_EVENING = "ALAE soir Malves"
WEDNESDAY_CENTRE = "Accueil de loisirs du mercredi"
STUDY = "Étude surveillée Malves"

SITES: list[tuple[str, str]] = [
    (MALVES_SCHOOL, "Rue des Écoles\n11600 Malves-en-Minervois"),
    (VILLEMOUSTAUSSOU_SCHOOL, "Avenue de la République\n11620 Villemoustaussou"),
    (MALVES_CENTRE, "Chemin du Stade\n11600 Malves-en-Minervois"),
]


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


# name -> (site, fields). The canteen follows the seed: 12:00-13:30, Mon Tue Thu Fri,
# booking and cancelling until 2 working days before at 10:00, late bookings at +50 %.
ACTIVITIES: dict[str, tuple[str, dict]] = {
    CANTEEN_MALVES: (
        MALVES_SCHOOL,
        {
            "kind": Activity.Kind.CANTEEN,
            "weekdays": "0,1,3,4",
            "start_time": _time("12:00"),
            "end_time": _time("13:30"),
            "requires_booking": True,
            "default_capacity": 60,
            "open_in_school_holidays": False,
            "booking_deadline_kind": DeadlineKind.WORKING_DAYS_BEFORE,
            "booking_deadline_value": 2,
            "booking_deadline_time": _time("10:00"),
            "cancel_deadline_kind": DeadlineKind.WORKING_DAYS_BEFORE,
            "cancel_deadline_value": 2,
            "cancel_deadline_time": _time("10:00"),
            "late_policy": LatePolicy.SURCHARGE,
        },
    ),
    CANTEEN_VILLEMOUSTAUSSOU: (
        VILLEMOUSTAUSSOU_SCHOOL,
        {
            "kind": Activity.Kind.CANTEEN,
            "weekdays": "0,1,3,4",
            "start_time": _time("11:45"),
            "end_time": _time("13:15"),
            "requires_booking": True,
            "default_capacity": 80,
            "open_in_school_holidays": False,
            "booking_deadline_kind": DeadlineKind.WORKING_DAYS_BEFORE,
            "booking_deadline_value": 2,
            "booking_deadline_time": _time("10:00"),
            "cancel_deadline_kind": DeadlineKind.WORKING_DAYS_BEFORE,
            "cancel_deadline_value": 2,
            "cancel_deadline_time": _time("10:00"),
            "late_policy": LatePolicy.SURCHARGE,
        },
    ),
    # The ALAE, morning and evening, need no booking: children come, staff record
    # attendance ("Aucune réservation n'est requise" in the planning), and each presence
    # is invoiced after the month at the family's QF price (billing mode on attendance).
    ALAE_MORNING: (
        MALVES_SCHOOL,
        {
            "kind": Activity.Kind.ALAE,
            "weekdays": "0,1,3,4",
            "start_time": _time("07:30"),
            "end_time": _time("08:50"),
            "requires_booking": False,
            "billing_mode": BillingMode.ON_ATTENDANCE,
            "default_capacity": 40,
            "open_in_school_holidays": False,
            "booking_deadline_kind": DeadlineKind.NONE,
            "booking_deadline_value": 0,
            "booking_deadline_time": _time("00:00"),
            "cancel_deadline_kind": DeadlineKind.NONE,
            "cancel_deadline_value": 0,
            "cancel_deadline_time": _time("00:00"),
            "late_policy": LatePolicy.REFUSE,
        },
    ),
    ALAE_EVENING: (
        MALVES_SCHOOL,
        {
            "kind": Activity.Kind.ALAE,
            "weekdays": "0,1,3,4",
            "start_time": _time("16:30"),
            "end_time": _time("18:30"),
            "requires_booking": False,
            "billing_mode": BillingMode.ON_ATTENDANCE,
            "default_capacity": 40,
            "open_in_school_holidays": False,
            "booking_deadline_kind": DeadlineKind.NONE,
            "booking_deadline_value": 0,
            "booking_deadline_time": _time("00:00"),
            "cancel_deadline_kind": DeadlineKind.NONE,
            "cancel_deadline_value": 0,
            "cancel_deadline_time": _time("00:00"),
            "late_policy": LatePolicy.REFUSE,
        },
    ),
    # The supervised homework hour is booked like the canteen, but not prepaid: the days
    # booked are invoiced after the month (billing mode on booking), a day cancelled in
    # time is not, and a day booked but missed without a medical certificate ("Non
    # utilisé") is.
    STUDY: (
        MALVES_SCHOOL,
        {
            "kind": Activity.Kind.ALAE,
            "weekdays": "0,1,3",
            "start_time": _time("16:45"),
            "end_time": _time("17:45"),
            "requires_booking": True,
            "billing_mode": BillingMode.ON_BOOKING,
            "bill_unused_days": True,
            "default_capacity": 25,
            "open_in_school_holidays": False,
            "booking_deadline_kind": DeadlineKind.DAYS_BEFORE,
            "booking_deadline_value": 1,
            "booking_deadline_time": _time("18:00"),
            "cancel_deadline_kind": DeadlineKind.DAYS_BEFORE,
            "cancel_deadline_value": 1,
            "cancel_deadline_time": _time("18:00"),
            "late_policy": LatePolicy.REFUSE,
        },
    ),
    # Wednesdays: booked by the week, until Tuesday 23:59 of the week before; late
    # bookings are refused (the team is planned ahead).
    WEDNESDAY_CENTRE: (
        MALVES_CENTRE,
        {
            "kind": Activity.Kind.LEISURE,
            "weekdays": "2",
            "start_time": _time("07:30"),
            "end_time": _time("18:30"),
            "requires_booking": True,
            "default_capacity": 30,
            "open_in_school_holidays": False,
            "booking_deadline_kind": DeadlineKind.WEEKDAY_BEFORE_WEEK,
            "booking_deadline_value": 1,
            "booking_deadline_time": _time("23:59"),
            "cancel_deadline_kind": DeadlineKind.WEEKDAY_BEFORE_WEEK,
            "cancel_deadline_value": 1,
            "cancel_deadline_time": _time("23:59"),
            "late_policy": LatePolicy.REFUSE,
        },
    ),
}

# Tariff name prefix -> (activities, prices in cents per QF band, lowest band first).
# Late price: +50 % (the seed's "prix majoré").
TARIFFS: list[tuple[str, list[str], list[int]]] = [
    ("Restauration scolaire", [CANTEEN_MALVES, CANTEEN_VILLEMOUSTAUSSOU], [290, 330, 370, 410]),
    ("ALAE matin", [ALAE_MORNING], [80, 100, 120, 140]),
    ("ALAE soir", [ALAE_EVENING], [120, 150, 180, 210]),
    ("Accueil de loisirs du mercredi", [WEDNESDAY_CENTRE], [600, 800, 1000, 1200]),
    ("Étude surveillée", [STUDY], [100, 150, 200, 250]),
]


@dataclass(frozen=True)
class DemoChild:
    first_name: str
    birth_date: datetime.date
    activities: tuple[str, ...]


@dataclass(frozen=True)
class DemoHousehold:
    name: str
    address: str
    postal_code: str
    city: str
    phone: str
    # "valid": known for the school year; "expired": ended before it; None: unknown.
    quotient_familial: int | None
    qf_state: str | None
    guardians: tuple[tuple[str, str, str], ...]  # (e-mail, first name, last name)
    children: tuple[DemoChild, ...]


HOUSEHOLDS: list[DemoHousehold] = [
    DemoHousehold(
        name=DEMO_HOUSEHOLD,
        address="12 rue de la Mairie",
        postal_code="11600",
        city="Malves-en-Minervois",
        phone="04 68 00 00 12",
        quotient_familial=1200,
        qf_state="valid",
        guardians=(
            (PARENT_EMAIL, "Edwige", "PAGES"),
            ("pierre.pages@example.org", "Pierre", "PAGES"),
        ),
        children=(
            DemoChild(
                "Emy",
                datetime.date(2017, 3, 14),
                (CANTEEN_MALVES, ALAE_MORNING, WEDNESDAY_CENTRE, STUDY),
            ),
            DemoChild("Lise", datetime.date(2019, 10, 2), (CANTEEN_MALVES, ALAE_EVENING)),
        ),
    ),
    DemoHousehold(
        name="MARTIN",
        address="3 impasse des Vignes",
        postal_code="11600",
        city="Malves-en-Minervois",
        phone="04 68 00 00 21",
        quotient_familial=450,
        qf_state="valid",
        guardians=(("famille.martin@example.org", "Sophie", "MARTIN"),),
        children=(
            DemoChild("Léo", datetime.date(2016, 6, 1), (CANTEEN_MALVES, ALAE_MORNING)),
            DemoChild("Jade", datetime.date(2018, 9, 23), (CANTEEN_MALVES,)),
        ),
    ),
    DemoHousehold(
        name="BERNARD",
        address="8 avenue du Minervois",
        postal_code="11600",
        city="Malves-en-Minervois",
        phone="04 68 00 00 33",
        quotient_familial=None,
        qf_state=None,
        guardians=(("famille.bernard@example.org", "Karim", "BERNARD"),),
        children=(
            DemoChild("Hugo", datetime.date(2017, 1, 30), (CANTEEN_MALVES, WEDNESDAY_CENTRE)),
        ),
    ),
    DemoHousehold(
        name="DURAND",
        address="27 rue Jean Jaurès",
        postal_code="11620",
        city="Villemoustaussou",
        phone="04 68 00 00 44",
        quotient_familial=850,
        qf_state="valid",
        guardians=(
            ("famille.durand@example.org", "Nadia", "DURAND"),
            ("marc.durand@example.org", "Marc", "DURAND"),
        ),
        children=(
            DemoChild("Chloé", datetime.date(2015, 11, 11), (CANTEEN_VILLEMOUSTAUSSOU,)),
            DemoChild("Nathan", datetime.date(2019, 4, 5), (CANTEEN_VILLEMOUSTAUSSOU,)),
        ),
    ),
    DemoHousehold(
        name="LEFEBVRE",
        address="2 place de l'Église",
        postal_code="11620",
        city="Villemoustaussou",
        phone="04 68 00 00 55",
        quotient_familial=1650,
        qf_state="valid",
        guardians=(("famille.lefebvre@example.org", "Julie", "LEFEBVRE"),),
        children=(DemoChild("Manon", datetime.date(2016, 2, 17), (CANTEEN_VILLEMOUSTAUSSOU,)),),
    ),
    DemoHousehold(
        name="MOREAU",
        address="14 chemin de la Garrigue",
        postal_code="11600",
        city="Malves-en-Minervois",
        phone="04 68 00 00 66",
        quotient_familial=1100,
        qf_state="expired",
        guardians=(("famille.moreau@example.org", "Thomas", "MOREAU"),),
        children=(DemoChild("Lucas", datetime.date(2018, 7, 8), (CANTEEN_MALVES, ALAE_EVENING)),),
    ),
    DemoHousehold(
        name="GARCIA",
        address="5 rue des Oliviers",
        postal_code="11600",
        city="Malves-en-Minervois",
        phone="04 68 00 00 77",
        quotient_familial=None,
        qf_state=None,
        guardians=(("famille.garcia@example.org", "Elena", "GARCIA"),),
        children=(
            DemoChild("Sofia", datetime.date(2016, 5, 19), (CANTEEN_MALVES,)),
            DemoChild("Inès", datetime.date(2017, 12, 3), (CANTEEN_MALVES, WEDNESDAY_CENTRE)),
            DemoChild("Adam", datetime.date(2020, 8, 27), (CANTEEN_MALVES,)),
        ),
    ),
]
