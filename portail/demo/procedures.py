"""The demo household's démarches: a few requests in varied statuses, so the home page's
blocks ("Mes démarches en cours", "Statut de mes démarches", "Inscriptions Petite
Enfance") show something at once.

Built through the procedures' services (the family creates and sends, the gestionnaire
takes, asks for more, accepts, puts on the waiting list), then dated a few weeks back from
the demo's today, with the e-mails they sent ("Mes documents"), so the demo's recent
documents stay on top. Idempotent: a request is found by its household and procedure; found
again, it is moved to the same dates from the new today (and a request the family can still
edit gets fresh data, valid around today), never duplicated.
"""

import datetime

from django.db.models import F
from django.utils import timezone

from portail.accounts.models import User
from portail.core.models import Site
from portail.families.models import Document, Household
from portail.procedures import services
from portail.procedures.defaults import ensure_procedures
from portail.procedures.models import Procedure, ProcedureCode, Request, RequestEvent
from portail.reservations.models import Channel

WEB = Channel.WEB
BACKOFFICE = Channel.BACKOFFICE

# The seed's title of the family file procedure (the city's own words, set in the admin).
FAMILY_FILE_TITLE = "MISE A JOUR DOSSIER UNIQUE D'INSCRIPTION AL, ALAE"
HELP_TEXTS = {
    ProcedureCode.CONTACT: "Une question, une remarque ? Le service vous répond ici, "
    "sous quelques jours ouvrés.",
    ProcedureCode.ADDRESS_CHANGE: "Votre nouvelle adresse est prise en compte à la date "
    "indiquée, après vérification du justificatif.",
    ProcedureCode.FAMILY_FILE: "À mettre à jour chaque année avant la rentrée : contacts, "
    "santé des enfants, personnes autorisées à venir les chercher, droit à l'image.",
    ProcedureCode.EARLY_CHILDHOOD: "La commission d'attribution des places en crèche se "
    "réunit trois fois par an ; vous recevez sa réponse par courriel.",
}

# (procedure, status reached, days before today it was created)
PLAN = [
    (ProcedureCode.CONTACT, "draft", 41),
    (ProcedureCode.ADDRESS_CHANGE, "submitted", 44),
    (ProcedureCode.QF_DECLARATION, "accepted", 60),
    (ProcedureCode.FAMILY_FILE, "needs_info", 55),
    (ProcedureCode.EARLY_CHILDHOOD, "waiting_list", 70),
]


def _school_year(today: datetime.date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def _data(code: str, household: Household, today: datetime.date) -> dict:
    children = list(household.children.order_by("first_name", "pk"))
    if code == ProcedureCode.CONTACT:
        return {
            "service": "Restauration scolaire",
            "subject": "Repas sans porc",
            "message": "Bonjour, Emy ne mange pas de porc : est-il possible de",
        }
    if code == ProcedureCode.ADDRESS_CHANGE:
        return {
            "line": "8 chemin des Oliviers",
            "postal_code": "11600",
            "city": "Malves-en-Minervois",
            "effective_on": (today + datetime.timedelta(days=20)).isoformat(),
        }
    if code == ProcedureCode.QF_DECLARATION:
        # The household's QF of today, declared again: accepting it changes nothing of the
        # demo's prices, whichever day the demo is loaded.
        period = household.quotient_period_on(today)
        if period is None:
            return {"quotient": 650, "valid_from": today.isoformat()}
        data = {"quotient": period.value, "valid_from": period.valid_from.isoformat()}
        if period.valid_to:
            data["valid_to"] = period.valid_to.isoformat()
        return data
    if code == ProcedureCode.FAMILY_FILE:
        guardians = household.guardians.select_related("user").order_by("pk")
        return {
            "school_year": _school_year(today),
            "guardians": [
                {"name": g.user.get_full_name(), "phone": "06 12 34 56 78", "email": g.user.email}
                for g in guardians
            ],
            "children": [
                {"child_id": c.pk, "allergies": "", "pai": False, "doctor": "Dr Castel"}
                for c in children
            ],
            "pickup_persons": [
                {"name": "Josette PAGES", "phone": "06 98 76 54 32", "relationship": "Grand-mère"}
            ],
            "image_rights": True,
        }
    site = Site.objects.order_by("name", "pk").first()
    return {
        "child_first_name": "Jules",
        "child_last_name": household.name,
        "expected_on": (today + datetime.timedelta(days=60)).isoformat(),
        "start_on": (today + datetime.timedelta(days=300)).isoformat(),
        "days_per_week": 4,
        "hours_per_week": 32,
        "sites": [site.pk] if site else [],
    }


def _procedures() -> None:
    ensure_procedures()
    Procedure.objects.filter(code=ProcedureCode.FAMILY_FILE).update(title=FAMILY_FILE_TITLE)
    for code, text in HELP_TEXTS.items():
        Procedure.objects.filter(code=code, description="").update(description=text)


def _create(code, status, household, parent, staff, today) -> Request:
    data = _data(code, household, today)
    if status == "draft":
        return services.create_draft(household, code, data, actor=parent, channel=WEB)
    request = services.create_request(household, code, data, submit=True, actor=parent, channel=WEB)
    if status == "needs_info":
        services.ask_more(
            request.pk,
            "Merci d'indiquer le numéro de téléphone de Pierre PAGES et le nom du médecin "
            "traitant de Lise.",
            actor=staff,
            channel=BACKOFFICE,
        )
    elif status in ("accepted", "waiting_list"):
        services.take(request.pk, actor=staff, channel=BACKOFFICE)
        if status == "accepted":
            services.accept(request.pk, actor=staff, channel=BACKOFFICE)
        else:
            services.put_on_waiting_list(
                request.pk,
                actor=staff,
                channel=BACKOFFICE,
                message="La commission de mars n'a pas pu attribuer de place ; "
                "votre demande reste sur la liste d'attente.",
            )
    return Request.objects.get(pk=request.pk)


def _move(request: Request, to: datetime.datetime, documents: list[int]) -> None:
    """Shift the request's dates (and its e-mails') so it was created at `to`."""
    delta = to - request.created_at
    if not delta:
        return
    Request.objects.filter(pk=request.pk).update(
        created_at=F("created_at") + delta,
        updated_at=F("updated_at") + delta,
        submitted_at=F("submitted_at") + delta,
        decided_at=F("decided_at") + delta,
    )
    RequestEvent.objects.filter(request=request).update(at=F("at") + delta)
    Document.objects.filter(pk__in=documents).update(created_at=F("created_at") + delta)


def build_demo_requests(household: Household, parent: User, staff: User, today) -> int:
    """The demo household's requests (see the module's doc); returns how many exist."""
    _procedures()
    household = Household.objects.get(pk=household.pk)  # its QF periods read afresh
    for index, (code, status, days) in enumerate(PLAN):
        created_at = timezone.make_aware(
            datetime.datetime.combine(
                today - datetime.timedelta(days=days), datetime.time(9, 15 + index * 7)
            )
        )
        found = (
            Request.objects.filter(household=household, procedure__code=code).order_by("pk").first()
        )
        if found is not None:
            if found.status in ("draft", "needs_info"):
                services.update_draft(
                    household, found.pk, _data(code, household, today), actor=parent, channel=WEB
                )
                found.refresh_from_db()
            _move(found, created_at, [])
            continue
        last_document = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        request = _create(code, status, household, parent, staff, today)
        sent = list(
            Document.objects.filter(household=household, pk__gt=last_document).values_list(
                "pk", flat=True
            )
        )
        _move(request, created_at, sent)
    return Request.objects.filter(household=household).count()
