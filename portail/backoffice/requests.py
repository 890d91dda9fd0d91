"""The staff's requests inbox (démarches) and one request with the household's file:
queries and what the pages show, read only. Every change goes through
portail.procedures.services (the views call them with the channel "backoffice").

- inbox(filters, user=..., today=...): the requests that are not drafts (a draft is the
  family's own), filtered, oldest submission first; with_facts() adds each row's age in
  days and the required documents still missing (documents.missing);
- waiting_count(): the number the back office's menu shows (the inbox's default view);
- detail(pk): one request for staff (drafts look unknown), its history and documents;
- household_file(request): the household beside the request (guardians, children,
  address, today's quotient, family files, its other requests);
- assignable_staff(): the active gestionnaires a request may be given to;
The request's data in words: procedures/wording.py (the family's page shows the same).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from portail.accounts.models import User
from portail.backoffice.permissions import GESTIONNAIRE
from portail.families.models import Child, FamilyFile, Guardian, Household, QuotientPeriod
from portail.procedures import documents
from portail.procedures.models import (
    Request,
    RequestAttachment,
    RequestEvent,
    RequestStatus,
)

S = RequestStatus

# What needs the service's action (the inbox's default view and the menu's number).
ACTION_STATUSES = (S.SUBMITTED, S.IN_PROGRESS, S.WAITING_LIST, S.NEEDS_INFO)
ALL = "all"  # the status filter's "every status" (drafts never)
ME = "me"
NOBODY = "nobody"
OTHER_REQUESTS = 50


@dataclass(frozen=True)
class Filters:
    procedure: str = ""  # a procedure's code, "" for every procedure
    status: str = ""  # "" what needs action, ALL, or one status
    assigned: str = ""  # "" anyone, ME, NOBODY
    older_than: int | None = None  # submitted at least that many days ago


@dataclass
class Row:
    request: Request
    age_days: int
    missing: list[str] = field(default_factory=list)


def _attachments() -> Prefetch:
    return Prefetch(
        "attachments",
        queryset=RequestAttachment.objects.order_by("pk"),
    )


def local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def age_days(request: Request, today: datetime.date) -> int:
    """Whole days since the (first) submission, in the city's time zone."""
    submitted = local_day(request.submitted_at)
    return max((today - submitted).days, 0) if submitted else 0


def inbox(filters: Filters, *, user: User, today: datetime.date) -> QuerySet[Request]:
    """The requests the filters select, oldest submission first."""
    rows = Request.objects.exclude(status=S.DRAFT)
    if filters.status == ALL:
        pass
    elif filters.status:
        rows = rows.filter(status=filters.status)
    else:
        rows = rows.filter(status__in=ACTION_STATUSES)
    if filters.procedure:
        rows = rows.filter(procedure__code=filters.procedure)
    if filters.assigned == ME:
        rows = rows.filter(assigned_to_id=user.pk)
    elif filters.assigned == NOBODY:
        rows = rows.filter(assigned_to__isnull=True)
    if filters.older_than is not None:
        # Submitted on or before that day (Paris): before the next day's midnight.
        last_day = today - datetime.timedelta(days=filters.older_than)
        limit = timezone.make_aware(
            datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
        )
        rows = rows.filter(submitted_at__lt=limit)
    return (
        rows.select_related("procedure", "household", "assigned_to")
        .prefetch_related(_attachments())
        .order_by("submitted_at", "pk")
    )


def with_facts(requests, today: datetime.date) -> list[Row]:
    """The rows of one page with their age and the documents still missing."""
    return [Row(r, age_days(r, today), documents.missing(r)) for r in requests]


def waiting_count() -> int:
    return Request.objects.filter(status__in=ACTION_STATUSES).count()


# --- one request -----------------------------------------------------------------------


def detail(pk: int) -> Request | None:
    """The request for staff, with its procedure, household, assignee and documents;
    None for an unknown id or a draft."""
    return (
        Request.objects.exclude(status=S.DRAFT)
        .select_related("procedure", "household", "assigned_to")
        .prefetch_related(_attachments())
        .filter(pk=pk)
        .first()
    )


def history(request: Request) -> list[RequestEvent]:
    return list(
        RequestEvent.objects.filter(request=request)
        .select_related("actor", "attachment")
        .order_by("at", "pk")
    )


def attachment(pk: int) -> RequestAttachment | None:
    """A document of a request that is not a draft (what staff may download)."""
    return (
        RequestAttachment.objects.exclude(request__status=S.DRAFT)
        .select_related("request")
        .filter(pk=pk)
        .first()
    )


@dataclass
class HouseholdFile:
    household: Household
    guardians: list[Guardian]
    children: list[Child]
    quotient: QuotientPeriod | None
    family_files: list[FamilyFile]
    other_requests: list[Request]


def household_file(request: Request, today: datetime.date) -> HouseholdFile:
    household = request.household
    return HouseholdFile(
        household=household,
        guardians=list(household.guardians.select_related("user").order_by("pk")),
        children=list(household.children.order_by("first_name", "pk")),
        quotient=household.quotient_period_on(today),
        family_files=list(household.family_files.order_by("-school_year_start")),
        other_requests=list(
            Request.objects.filter(household_id=household.pk)
            .exclude(status=S.DRAFT)
            .exclude(pk=request.pk)
            .select_related("procedure")
            .order_by("-submitted_at", "-pk")[:OTHER_REQUESTS]
        ),
    )


def assignable_staff() -> QuerySet[User]:
    """The active gestionnaires (and superusers without a profile, who are gestionnaires
    too: permissions.staff_role)."""
    return (
        User.objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(staff_profile__role=GESTIONNAIRE) | Q(is_superuser=True, staff_profile__isnull=True)
        )
        .order_by("last_name", "first_name", "email")
    )


def staff_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email
