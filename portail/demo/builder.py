"""The demo commune: a small agglomeration whose dates follow today's date.

`build_demo()` is idempotent: every row is found by a natural key (a name, an e-mail, a
child's names in a household…) and updated in place, so loading the demo twice, or on
another day, never duplicates anything. The dates (school years, enrolments, documents, a
closed day) are computed from today, so the demo is alive on every day of the year: it
covers the school year of today (in the summer holidays, the coming one), plus the one
before while too few weeks of this one have passed for its paid history, plus the one after
when this one is about to end, so there are always past paid weeks and weeks to book.

The commune itself (its organisation, sites, activities, tariffs, households and logins)
is plain data in demo.commune; this module builds the rows from it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portail.accounts.models import User
from portail.activities.calendar import (
    CalendarUnavailable,
    generate_sessions,
    school_year_bounds,
)
from portail.activities.models import (
    Activity,
    Enrolment,
    Session,
    Tariff,
    TariffBand,
)
from portail.backoffice.permissions import CUISINE, GESTIONNAIRE, POINTAGE, grant_role
from portail.core.models import Organisation, SchoolZone, Site
from portail.demo.commune import (
    ACTIVITIES,
    CANTEEN_MALVES,
    CLOSURE_REASON,
    CUISINE_EMAIL,
    CUISINE_PASSWORD,
    HOUSEHOLDS,
    MALVES_SCHOOL,
    ORGANISATION_NAME,
    PARENT_EMAIL,
    PARENT_PASSWORD,
    POINTAGE_EMAIL,
    POINTAGE_PASSWORD,
    QF_BANDS,
    SITES,
    STAFF_EMAIL,
    STAFF_PASSWORD,
    TARIFFS,
    WELCOME_TEXT,
    DemoHousehold,
)
from portail.demo.procedures import build_demo_requests
from portail.families import quotient
from portail.families.models import Child, Document, Guardian, Household, QuotientPeriod


@dataclass
class DemoSummary:
    """What `build_demo` left in the database, for the command to print."""

    organisation: Organisation
    # The first and last days of the school years covered (see demo_school_years).
    school_year_start: datetime.date
    school_year_end: datetime.date
    households: int = 0
    children: int = 0
    enrolments: int = 0
    activities: int = 0
    sessions: int = 0
    sessions_created: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (who, e-mail, password)


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo logins, (who, e-mail, password): printed by `load_demo`."""
    return [
        ("parent (PAGES-TEST: Emy, Lise)", PARENT_EMAIL, PARENT_PASSWORD),
        ("staff, gestionnaire (/gestion/, /admin/)", STAFF_EMAIL, STAFF_PASSWORD),
        (
            f"staff, attendance agent for {MALVES_SCHOOL} (/gestion/)",
            POINTAGE_EMAIL,
            POINTAGE_PASSWORD,
        ),
        ("staff, kitchen, read only (/gestion/)", CUISINE_EMAIL, CUISINE_PASSWORD),
    ]


# The demo's paid history needs this many weeks of school behind today, and parents need
# this many ahead to book; the neighbouring school year is added when the current one has
# fewer (see demo_school_years).
WEEKS_BEHIND = 12
WEEKS_AHEAD = 6


def demo_school_year(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The school year of `today`: the current one; in the summer holidays, the coming
    one (the calendar counts a summer day in the year that follows)."""
    return school_year_bounds(today, SchoolZone.C)


def demo_school_years(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The school years the demo covers, in order: the one of `today`; the one before when
    it began less than WEEKS_BEHIND weeks ago (in September, or in the summer holidays, the
    paid weeks are the last ones of June); the one after when it ends in less than
    WEEKS_AHEAD weeks (in June, the next year's days can already be booked). A neighbouring
    year the school calendar does not know yet is left out."""
    start, end = demo_school_year(today)
    years = [(start, end)]
    # A school year ends in early July and the next begins in early September: 100 days
    # from either bound is always inside the neighbouring school year.
    neighbours = []
    if today < start + datetime.timedelta(weeks=WEEKS_BEHIND):
        neighbours.append(start - datetime.timedelta(days=100))
    if today > end - datetime.timedelta(weeks=WEEKS_AHEAD):
        neighbours.append(end + datetime.timedelta(days=100))
    for day in neighbours:
        try:
            years.append(demo_school_year(day))
        except CalendarUnavailable:
            continue
    return sorted(years)


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def demo_numcli() -> str:
    """The demo régie's PayFiP client number: the one payments use (PAYFIP_NUMCLI, the
    simulator's "000000" by default), so that the admin shows the number actually sent
    and the portail.W001 check stays quiet."""
    numcli = settings.PAYFIP_NUMCLI
    return numcli if len(numcli) == 6 and numcli.isascii() and numcli.isdigit() else ""


def _organisation() -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        name=ORGANISATION_NAME,
        defaults={
            "payfip_numcli": demo_numcli(),
            "school_zone": SchoolZone.C,
            "welcome_text": WELCOME_TEXT,
            "contact_email": "portail-famille@example.org",
            "contact_phone": "04 68 00 00 00",
            "address": "Service Enfance Jeunesse\n1 rue Pierre Germain\n11000 Carcassonne",
        },
    )
    return org


def _sites(org: Organisation) -> dict[str, Site]:
    sites = {}
    for name, address in SITES:
        sites[name], _ = Site.objects.update_or_create(
            organisation=org, name=name, defaults={"address": address}
        )
    return sites


def _activities(sites: dict[str, Site]) -> dict[str, Activity]:
    activities = {}
    for name, (site_name, fields) in ACTIVITIES.items():
        activities[name], _ = Activity.objects.update_or_create(
            site=sites[site_name], name=name, defaults=fields
        )
    return activities


def _tariffs(
    activities: dict[str, Activity], start: datetime.date, end: datetime.date
) -> list[Tariff]:
    tariffs = []
    for prefix, activity_names, prices in TARIFFS:
        tariff, _ = Tariff.objects.update_or_create(
            name=f"{prefix} {start.year}-{end.year}",
            defaults={"valid_from": start, "valid_to": end},
        )
        tariff.activities.set([activities[name] for name in activity_names])
        for (qf_min, qf_max), price in zip(QF_BANDS, prices, strict=True):
            TariffBand.objects.update_or_create(
                tariff=tariff,
                qf_min=qf_min,
                defaults={
                    "qf_max": qf_max,
                    "price_cents": price,
                    "late_price_cents": price * 3 // 2,
                },
            )
        tariffs.append(tariff)
    return tariffs


def _user(email: str, first_name: str, last_name: str, password: str | None, **flags) -> User:
    """A login found by e-mail; only the demo logins (demo_logins) get a usable password."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=password, first_name=first_name, last_name=last_name, **flags
        )
        return user
    user.first_name, user.last_name, user.is_active = first_name, last_name, True
    for name, value in flags.items():
        setattr(user, name, value)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    return user


def _household(
    spec: DemoHousehold,
    activities: dict[str, Activity],
    start: datetime.date,
    end: datetime.date,
) -> Household:
    if spec.qf_state == "valid":
        qf_from, qf_to = start, end
    elif spec.qf_state == "expired":
        qf_from, qf_to = start.replace(year=start.year - 1), start - datetime.timedelta(days=1)
    else:
        qf_from = qf_to = None
    household = Household.objects.filter(name=spec.name).order_by("pk").first()
    values = {
        "address": spec.address,
        "postal_code": spec.postal_code,
        "city": spec.city,
        "phone": spec.phone,
        "email": spec.guardians[0][0],
    }
    if household is None:
        household = Household.objects.create(name=spec.name, **values)
    else:
        Household.objects.filter(pk=household.pk).update(**values)
        household.refresh_from_db()
    # The QF over time: built again from the spec (one period, or none when unknown).
    QuotientPeriod.objects.filter(household=household).delete()
    if spec.quotient_familial is not None and qf_from is not None:
        quotient.set_quotient(
            household, spec.quotient_familial, qf_from, qf_to, reason="Démonstration"
        )

    for email, first_name, last_name in spec.guardians:
        password = PARENT_PASSWORD if email == PARENT_EMAIL else None
        user = _user(email, first_name, last_name, password, is_staff=False, language="fr")
        Guardian.objects.update_or_create(user=user, defaults={"household": household})

    for child_spec in spec.children:
        child, _ = Child.objects.update_or_create(
            household=household,
            first_name=child_spec.first_name,
            last_name=spec.name,
            defaults={"birth_date": child_spec.birth_date},
        )
        for activity_name in child_spec.activities:
            _enrol(child, activities[activity_name], start, end)
    return household


def _enrol(child: Child, activity: Activity, start: datetime.date, end: datetime.date) -> None:
    """One enrolment per child and activity, widened to cover the demo's school years (a
    demo loaded again months later extends it rather than adding another)."""
    enrolment = Enrolment.objects.filter(child=child, activity=activity).order_by("pk").first()
    if enrolment is None:
        Enrolment.objects.create(child=child, activity=activity, valid_from=start, valid_to=end)
        return
    valid_from, valid_to = min(enrolment.valid_from, start), max(enrolment.valid_to, end)
    if (valid_from, valid_to) != (enrolment.valid_from, enrolment.valid_to):
        Enrolment.objects.filter(pk=enrolment.pk).update(valid_from=valid_from, valid_to=valid_to)


def _document(
    household: Household,
    kind: str,
    title: str,
    body: str,
    sent_at: datetime.datetime,
    recipient: str = "",
) -> Document:
    """A document found by household, kind, title and recipient; its date follows today."""
    document, _ = Document.objects.update_or_create(
        household=household,
        kind=kind,
        title=title,
        recipient=recipient or household.email,
        defaults={"body": body},
    )
    # created_at is set on creation; the demo moves it so it stays recent.
    Document.objects.filter(pk=document.pk).update(created_at=sent_at)
    return document


def _close_one_day(canteen: Activity, today: datetime.date) -> Session | None:
    """Close one coming canteen day (a strike), so the planning shows "Fermé"."""
    already = Session.objects.filter(
        activity=canteen, date__gte=today, is_open=False, closed_reason=CLOSURE_REASON
    ).first()
    if already:
        return already
    session = (
        Session.objects.filter(
            activity=canteen, date__gte=today + datetime.timedelta(days=14), is_open=True
        )
        .order_by("date")
        .first()
    )
    if session is None:
        return None
    session.is_open = False
    session.closed_reason = CLOSURE_REASON
    session.save(update_fields=["is_open", "closed_reason"])
    return session


def _pages_documents(household: Household, closed: Session | None, today: datetime.date) -> None:
    """What the seed's "Mes documents" shows: activation links, plus a closure notice."""
    activation_body = (
        "Bonjour,\n\n"
        "Votre compte Portail Famille a été créé par le service gestionnaire.\n"
        "Pour choisir votre mot de passe, suivez le lien reçu par courriel.\n\n"
        "(Démonstration : ce lien n'est plus valable.)"
    )
    sends = [
        (today - datetime.timedelta(days=45), 15, 15, PARENT_EMAIL),
        (today - datetime.timedelta(days=38), 15, 4, "pierre.pages@example.org"),
    ]
    for day, hour, minute, recipient in sends:
        _document(
            household,
            Document.Kind.ACTIVATION,
            "Lien d'activation du mot de passe",
            activation_body,
            _aware(day, hour, minute),
            recipient,
        )
    if closed is not None:
        _document(
            household,
            Document.Kind.CLOSURE_NOTICE,
            "Fermeture exceptionnelle de la restauration scolaire",
            (
                "Chers parents,\n\n"
                f"La restauration scolaire de Malves sera fermée le {closed.date:%d/%m/%Y} "
                "(grève du personnel).\n"
                "Les repas déjà payés pour ce jour deviennent un avoir, déduit "
                "automatiquement de votre prochaine réservation.\n\n"
                "Le service gestionnaire"
            ),
            _aware(today - datetime.timedelta(days=2), 9, 30),
        )


@transaction.atomic
def build_demo(today: datetime.date | None = None) -> DemoSummary:
    """Create or refresh the demo commune; safe to run any number of times."""
    today = today or timezone.localdate()
    years = demo_school_years(today)
    start, end = years[0][0], years[-1][1]

    org = _organisation()
    sites = _sites(org)
    activities = _activities(sites)
    summary = DemoSummary(organisation=org, school_year_start=start, school_year_end=end)
    for year_start, year_end in years:
        _tariffs(activities, year_start, year_end)
        for activity in activities.values():
            report = generate_sessions(activity, year_start, year_end)
            summary.sessions_created += report.created

    households = [_household(spec, activities, start, end) for spec in HOUSEHOLDS]
    closed = _close_one_day(activities[CANTEEN_MALVES], today)
    _pages_documents(households[0], closed, today)
    _document(
        households[1],
        Document.Kind.ACTIVATION,
        "Lien d'activation du mot de passe",
        "Bonjour,\n\nVotre compte Portail Famille a été créé.\n\n"
        "(Démonstration : ce lien n'est plus valable.)",
        _aware(today - datetime.timedelta(days=50), 11, 42),
    )

    staff = _user(STAFF_EMAIL, "Camille", "ROUX", STAFF_PASSWORD, is_staff=True, is_superuser=True)
    grant_role(staff, GESTIONNAIRE)
    pointage = _user(POINTAGE_EMAIL, "Karim", "BENALI", POINTAGE_PASSWORD, is_staff=True)
    grant_role(pointage, POINTAGE, sites=[sites[MALVES_SCHOOL]])
    cuisine = _user(CUISINE_EMAIL, "Nadia", "FERRER", CUISINE_PASSWORD, is_staff=True)
    grant_role(cuisine, CUISINE)
    parent = User.objects.get(email=PARENT_EMAIL)
    build_demo_requests(households[0], parent, staff, today)

    household_ids = [h.pk for h in households]
    summary.households = len(households)
    summary.children = Child.objects.filter(household_id__in=household_ids).count()
    summary.enrolments = Enrolment.objects.filter(child__household_id__in=household_ids).count()
    summary.activities = len(activities)
    summary.sessions = Session.objects.filter(
        activity__in=activities.values(), date__range=(start, end)
    ).count()
    summary.logins = demo_logins()
    return summary
