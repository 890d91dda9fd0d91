"""What was done on the caller's children's days: the history, and the recap PDF."""

import datetime

from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.fields import invalid, optional, read_date
from portail.api.http import ApiRequest, endpoint, get_or_404, json_response
from portail.families.models import Child
from portail.reservations.models import Channel, HistoryAction, HistoryDetail
from portail.reservations.recap import EVENTS, RecapRow, child_rows, household_enrolments
from portail.reservations.recap_file import recap_pdf_response

HISTORY_ENTRY_SCHEMA = openapi.component(
    "HistoryEntry",
    openapi.obj(
        {
            "date": {**openapi.DATE, "description": "The day the action is about."},
            "activity": {"type": "string", "description": "The activity's name."},
            "action": openapi.enum(
                *HistoryAction.values,
                description="What was done (the PDF's “Type d'action”): add_reservation "
                "(Ajout : RESERVATION), remove_reservation (Suppression : RESERVATION), "
                "attendance_present / attendance_absent (attendance recorded by staff).",
            ),
            "who": {
                "type": "string",
                "description": "The guardian's e-mail, or “Service gestionnaire” for staff "
                "(in the request's language), or the portal itself.",
            },
            "when": {
                **openapi.DATETIME,
                "description": "When the action was taken (Europe/Paris, with its offset).",
            },
            "channel": openapi.enum(*Channel.values, description="How the action came in."),
            "price_cents": {
                **openapi.nullable(openapi.CENTS),
                "description": "The day's price for this action; null when none.",
            },
            "event": openapi.enum(
                *EVENTS,
                description="The event this row is (one row per event, as the recap PDF "
                "shows it): requested (asked, `pending` while its basket is not validated), "
                "booked (a request paid or validated: one row, `detail` says how), "
                "request_removed (a request removed unpaid), cancellation_requested, "
                "cancelled (a cancellation validated or the day closed, with its credit), "
                "cancellation_withdrawn (the booking stands), present, absent (the day's "
                "last attendance mark).",
            ),
            "option": {
                "type": "string",
                "description": "What was booked (the PDF's “Option”): the activity.",
            },
            "detail": openapi.enum(
                "",
                *HistoryDetail.values,
                description="How the event ended or why it happened (paid, "
                "paid_at_counter, basket_expired...); empty when there is nothing to say.",
            ),
            "pending": {
                "type": "boolean",
                "description": "A request or cancellation whose basket is not validated yet.",
            },
            "validated_at": {
                **openapi.nullable(openapi.DATETIME),
                "description": "When a request or cancellation was confirmed (its basket "
                "paid or validated), when later than `when`; else null.",
            },
            "not_used": {
                **openapi.nullable({"type": "boolean"}),
                "description": "The PDF's “Non utilisé”: true on the day's absence, false "
                "on its presence, null on every other row.",
            },
            "credit_cents": {
                **openapi.nullable(openapi.CENTS),
                "description": "The credit (avoir) the event gave: a cancellation validated, "
                "a day closed, a justified absence; null when none.",
            },
        }
    ),
)


def row_data(row: RecapRow) -> dict:
    return {
        "date": row.date,
        "activity": row.activity,
        "action": row.action,
        "who": row.who,
        "when": row.when,
        "channel": row.channel,
        "price_cents": row.price_cents,
        "event": row.event,
        "option": row.option,
        "detail": row.detail,
        "pending": row.pending,
        "validated_at": row.validated_at,
        "not_used": row.absent,
        "credit_cents": row.credit_cents,
    }


def _dates(request: ApiRequest) -> tuple[datetime.date | None, datetime.date | None]:
    start = optional(read_date, request.GET, "from")
    end = optional(read_date, request.GET, "to")
    if start is not None and end is not None and end < start:
        raise invalid(request.GET, "to", _("The field “%(field)s” must not be before “from”."))
    return start, end


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="A child's history",
    description="Every event on the child's days (all activities), by day, then start time "
    "of the activity, then when the action was taken, one row per event as the recap PDF "
    "shows it: reservations asked (with how they were paid or validated, on the same row), "
    "removed and cancelled by the guardians, by staff and by the portal (with the credit "
    "given), and the day's attendance recorded by staff. "
    "`from` and `to` (both included) limit the days; without them, the whole history.",
    query=[
        openapi.query_param("from", openapi.DATE, "First day (YYYY-MM-DD), included."),
        openapi.query_param("to", openapi.DATE, "Last day (YYYY-MM-DD), included."),
    ],
    response=openapi.array(HISTORY_ENTRY_SCHEMA),
    errors={404: "`not_found`: no such child in the caller's household."},
)
def child_history(request: ApiRequest, child_id: int) -> HttpResponse:
    child = get_or_404(Child.objects.filter(household=request.household), pk=child_id)
    start, end = _dates(request)
    return json_response([row_data(row) for row in child_rows(child, start, end)])


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The recap PDF of an enrolment",
    description="The seed's “Récapitulatif des actions” for one enrolment (child, activity, "
    "validity, and every action on its days), as `application/pdf` (not JSON), in the "
    "request's language (Accept-Language, else the account's).",
    content_type="application/pdf",
    errors={404: "`not_found`: no such enrolment in the caller's household."},
)
def enrolment_recap(request: ApiRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_or_404(household_enrolments(request.household.pk), pk=enrolment_id)
    return recap_pdf_response(enrolment, get_language() or "fr")
