"""Day-to-day staff endpoints: head counts, a session's capacity and closing, attendance,
and the gestionnaire's decision on a justified absence.

The rules are the back office's services (portail/backoffice/headcounts.py, sessions.py,
attendance/); these views read the JSON, call them and answer. No answer that an
attendance agent or a kitchen can get carries an amount of money (the justification,
gestionnaires only, says what it credited).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from portail.activities.models import Session
from portail.api import openapi
from portail.api.fields import read_choice, read_int, read_str
from portail.api.http import ApiError, ApiRequest, endpoint, get_or_404, json_response
from portail.api.views.staff_fields import read_staff_date
from portail.backoffice import headcounts, sessions
from portail.backoffice.attendance.justified import justify_absence
from portail.backoffice.attendance.marks import MarksRefused, record_marks
from portail.backoffice.attendance.sheet import Mark, attendance_sheet
from portail.backoffice.households import Refused
from portail.backoffice.permissions import (
    ALL_ROLES,
    GESTIONNAIRE,
    JUSTIFY_ROLES,
    POINTAGE,
    can_record_attendance,
    sites_for,
)
from portail.families.models import Child
from portail.reservations.forms import FIRST_YEAR, LAST_YEAR

HEADCOUNT_SCHEMA = openapi.component(
    "HeadCount",
    openapi.obj(
        {
            "site": {"type": "string", "description": "The site's name."},
            "activity_id": openapi.INTEGER,
            "activity": {"type": "string", "description": "The activity's name."},
            "session_id": openapi.INTEGER,
            "capacity": openapi.INTEGER,
            "reserved": {**openapi.INTEGER, "description": "Confirmed (paid) bookings."},
            "requested": {
                **openapi.INTEGER,
                "description": "Requests awaiting payment that still hold a place (lapsed "
                "holds are not counted).",
            },
            "places_left": {**openapi.INTEGER, "description": "0 on a closed day."},
            "is_open": openapi.BOOLEAN,
            "closed_reason": {"type": "string", "description": "Why the day is closed, or ''."},
            "special_diet": {
                **openapi.INTEGER,
                "description": "Children expected (reserved or requested) with a special diet.",
            },
            "pai": {
                **openapi.INTEGER,
                "description": "Children expected with a PAI (projet d'accueil individualisé).",
            },
        }
    ),
)

SESSION_SCHEMA = openapi.component(
    "StaffSession",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "date": openapi.DATE,
            "site": openapi.STRING,
            "activity_id": openapi.INTEGER,
            "activity": openapi.STRING,
            "capacity": openapi.INTEGER,
            "reserved": openapi.INTEGER,
            "requested": openapi.INTEGER,
            "places_left": openapi.INTEGER,
            "is_open": openapi.BOOLEAN,
            "closed_reason": openapi.STRING,
        }
    ),
)

CLOSURE_SCHEMA = openapi.component(
    "SessionClosure",
    openapi.obj(
        {
            "session": SESSION_SCHEMA,
            "bookings_cancelled": {
                **openapi.INTEGER,
                "description": "Reserved bookings cancelled, their price credited.",
            },
            "requests_withdrawn": {
                **openapi.INTEGER,
                "description": "Requests awaiting payment withdrawn from open baskets.",
            },
            "households_notified": {
                **openapi.INTEGER,
                "description": "Households e-mailed (closure_notice, kept in their documents).",
            },
        }
    ),
)

ATTENDANCE_SCHEMA = openapi.component(
    "AttendanceMark",
    openapi.obj(
        {
            "session_id": openapi.INTEGER,
            "child_id": openapi.INTEGER,
            "status": openapi.enum(*Mark.values),
            "changed": {
                **openapi.BOOLEAN,
                "description": "False when the child already had this mark.",
            },
        }
    ),
)


JUSTIFICATION_SCHEMA = openapi.component(
    "AbsenceJustification",
    openapi.obj(
        {
            "session_id": openapi.INTEGER,
            "child_id": openapi.INTEGER,
            "status": {"const": "absent_justified"},
            "credit_cents": {
                **openapi.CENTS,
                "description": "The booking's price, credited to the family (once).",
            },
        }
    ),
)


def _count_data(count: headcounts.HeadCount) -> dict:
    return {
        "site": count.site,
        "activity_id": count.activity_id,
        "activity": count.activity,
        "session_id": count.session_id,
        "capacity": count.capacity,
        "reserved": count.reserved,
        "requested": count.requested,
        "places_left": count.places_left,
        "is_open": count.is_open,
        "closed_reason": count.closed_reason,
        "special_diet": count.special_diet,
        "pai": count.pai,
    }


def _session_data(session: Session) -> dict:
    count = headcounts.session_count(session)
    return {
        "id": session.pk,
        "date": session.date,
        "site": count.site,
        "activity_id": count.activity_id,
        "activity": count.activity,
        "capacity": count.capacity,
        "reserved": count.reserved,
        "requested": count.requested,
        "places_left": count.places_left,
        "is_open": count.is_open,
        "closed_reason": count.closed_reason,
    }


def _refused(refusal: Refused, code: str) -> ApiError:
    extra = {"field": refusal.field} if refusal.field else {}
    return ApiError(409, code, refusal.message, **extra)


@endpoint(
    methods=("GET",),
    auth="staff",
    roles=ALL_ROLES,
    summary="Head counts of a day",
    description="Per session of the day (by site, start time and activity): confirmed "
    "bookings, requests awaiting payment, places left, and how many expected children have "
    "a special diet or a PAI. An attendance agent gets its own sites only.",
    query=[
        openapi.query_param(
            "date",
            openapi.DATE_2000,
            f"The day (YYYY-MM-DD), in the years {FIRST_YEAR} to {LAST_YEAR}.",
            required=True,
        )
    ],
    response=openapi.array(HEADCOUNT_SCHEMA),
)
def headcounts_of_day(request: ApiRequest) -> HttpResponse:
    day = read_staff_date(request.GET, "date")
    site_ids = list(sites_for(request.user).values_list("pk", flat=True))
    counts = headcounts.head_counts(day, day, site_ids=site_ids)
    return json_response([_count_data(c) for c in counts])


@endpoint(
    methods=("PATCH",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Change a session's capacity",
    description="Never below the places already taken (checked under the session's lock).",
    request=openapi.obj(
        {"capacity": {"type": "integer", "minimum": 0, "maximum": sessions.MAX_CAPACITY}}
    ),
    response=SESSION_SCHEMA,
    errors={
        404: "No such session.",
        409: "`capacity_below_taken`: more places are already taken.",
    },
)
def session_update(request: ApiRequest, session_id: int) -> HttpResponse:
    session = get_or_404(Session.objects.select_related("activity__site"), pk=session_id)
    capacity = read_int(request.data, "capacity", min_value=0, max_value=sessions.MAX_CAPACITY)
    try:
        sessions.change_capacity(session, capacity, actor=request.user)
    except Refused as refusal:
        raise _refused(refusal, "capacity_below_taken") from None
    return json_response(_session_data(session))


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Close a session (strike, outing...)",
    description="Every reserved booking of the day is cancelled with its full price as "
    "credit, requests waiting in open baskets are withdrawn, the families concerned are "
    "e-mailed, and their planning shows the day closed with the reason.",
    request=openapi.obj({"reason": openapi.text(sessions.REASON_MAX_LENGTH)}),
    response=CLOSURE_SCHEMA,
    errors={
        404: "No such session.",
        409: "`session_not_closable`: already closed, or attendance already recorded. "
        "`already_invoiced`: something of the day is on an invoice (the message names it).",
    },
)
def session_close(request: ApiRequest, session_id: int) -> HttpResponse:
    session = get_or_404(Session.objects.all(), pk=session_id)
    reason = read_str(request.data, "reason", max_length=sessions.REASON_MAX_LENGTH)
    try:
        closure = sessions.close_session(session, reason, actor=request.user)
    except Refused as refusal:
        raise _refused(refusal, getattr(refusal, "code", "session_not_closable")) from None
    return json_response(
        {
            "session": _session_data(closure.session),
            "bookings_cancelled": closure.cancelled,
            "requests_withdrawn": closure.withdrawn,
            "households_notified": len(closure.households),
        }
    )


def refused(refusal: MarksRefused, session: Session, child: Child, code: str) -> ApiError:
    """The API's answer to a refused mark: 404 when the child is neither booked nor
    enrolled on the session, else 409 `code` (or `already_invoiced`: the day is on an
    invoice, billing.invoicing.billed), with the service's reason."""
    message = refusal.errors.get(child.pk, str(refusal))
    if attendance_sheet(session).row(child.pk) is None:
        return ApiError(404, "not_found", message)
    return ApiError(409, refusal.codes.get(child.pk, code), message)


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE, POINTAGE),
    summary="Record a child's attendance on a session",
    description="present / absent for a booked child (or any child of an activity that "
    "needs no booking); absent_justified: absent with a medical certificate handed in. "
    "An attendance agent's absent_justified never credits anything: it records the "
    "certificate, and the absence awaits a gestionnaire's decision "
    "(POST /staff/attendance/justify). A gestionnaire's absent_justified for a child not "
    "marked so yet is that decision: the booking's price becomes credit, once, and the "
    "mark is final; sending the same mark again changes nothing. present_unbooked for an "
    "enrolled child without booking (the activity's late price is due by the family); "
    "absent for such a child removes that mark. The family's day is then locked. An "
    "attendance agent records on its own sites only; never for a day to come nor on a "
    "closed day.",
    request=openapi.obj(
        {
            "session_id": openapi.ID,
            "child_id": openapi.ID,
            "status": openapi.enum(*Mark.values),
        }
    ),
    response=ATTENDANCE_SCHEMA,
    errors={
        404: "No such session, or this child is neither booked nor enrolled on it.",
        409: "`attendance_refused`: this mark cannot be recorded (see the message). "
        "`already_invoiced`: the mark or the booking is on an invoice, so the mark is final "
        "(the message names the invoice; a correction is a credit note on it).",
    },
)
def attendance_record(request: ApiRequest) -> HttpResponse:
    session_id = read_int(request.data, "session_id", min_value=1, max_value=openapi.MAX_ID)
    child_id = read_int(request.data, "child_id", min_value=1, max_value=openapi.MAX_ID)
    status = read_choice(request.data, "status", Mark.values)
    session = get_or_404(Session.objects.select_related("activity__site"), pk=session_id)
    if not can_record_attendance(request.user, session.activity.site_id):
        raise ApiError(
            403,
            "permission_denied",
            _("You do not record attendance on this site."),
        )
    child = get_or_404(Child.objects.all(), pk=child_id)
    try:
        (result,) = record_marks(session, [(child.pk, status)], actor=request.user)
    except PermissionDenied:
        raise ApiError(
            403, "permission_denied", _("You do not record attendance on this site.")
        ) from None
    except MarksRefused as refusal:
        raise refused(refusal, session, child, "attendance_refused") from None
    return json_response(
        {
            "session_id": session.pk,
            "child_id": child.pk,
            "status": result.mark,
            "changed": result.changed,
        }
    )


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=JUSTIFY_ROLES,
    summary="Justify a child's absence (credit the day's price)",
    description="The gestionnaire's decision on an absence already recorded (absent, or "
    "absent_justified by an attendance agent: a medical certificate handed in): the "
    "absence is justified and the paid booking's price becomes the family's credit, once; "
    "the mark is then final. Gestionnaires only: an attendance agent records the absence "
    "and the certificate, never the credit.",
    request=openapi.obj({"session_id": openapi.ID, "child_id": openapi.ID}),
    response=JUSTIFICATION_SCHEMA,
    errors={
        404: "No such session, or this child is neither booked nor enrolled on it.",
        409: "`justification_refused`: no paid booking marked absent, already credited, a "
        "cancellation waiting in the family's basket, or a closed day (see the message). "
        "`already_invoiced`: the day is on an invoice (the message names it).",
    },
)
def attendance_justify(request: ApiRequest) -> HttpResponse:
    session_id = read_int(request.data, "session_id", min_value=1, max_value=openapi.MAX_ID)
    child_id = read_int(request.data, "child_id", min_value=1, max_value=openapi.MAX_ID)
    session = get_or_404(Session.objects.select_related("activity__site"), pk=session_id)
    child = get_or_404(Child.objects.all(), pk=child_id)
    try:
        result = justify_absence(session, child.pk, actor=request.user)
    except PermissionDenied:
        raise ApiError(
            403, "permission_denied", _("Your staff role does not allow this action.")
        ) from None
    except MarksRefused as refusal:
        raise refused(refusal, session, child, "justification_refused") from None
    return json_response(
        {
            "session_id": session.pk,
            "child_id": child.pk,
            "status": result.mark,
            "credit_cents": result.credit_cents,
        }
    )
