"""Billing runs (facturation) for staff: POST /api/v1/staff/billing-runs.

The rules are billing.invoicing.runs' (what is billed, each item once, gapless numbers);
this view reads the JSON, calls `preview()` (dry run: writes nothing) or `issue()`, and
answers the run with its invoices.
"""

from django.http import HttpResponse
from django.utils import timezone

from portail.api import openapi
from portail.api.fields import optional, read_bool
from portail.api.http import ApiError, ApiRequest, endpoint, json_response
from portail.api.views.staff_fields import read_staff_date
from portail.backoffice.permissions import GESTIONNAIRE
from portail.billing.invoicing import runs
from portail.reservations.forms import FIRST_YEAR, LAST_YEAR
from portail.reservations.models import Channel

FIELDS = ("period_start", "period_end", "dry_run")

RUN_INVOICE_SCHEMA = openapi.obj(
    {
        "id": {**openapi.nullable(openapi.INTEGER), "description": "null for a dry run."},
        "household_id": openapi.INTEGER,
        "number": {
            **openapi.nullable(openapi.STRING),
            "description": "Gapless in the year, e.g. FA2026-000123; null for a dry run.",
        },
        "total_cents": openapi.CENTS,
    }
)

BILLING_RUN_SCHEMA = openapi.component(
    "BillingRun",
    openapi.obj(
        {
            "id": {**openapi.nullable(openapi.INTEGER), "description": "null for a dry run."},
            "period_start": openapi.DATE,
            "period_end": openapi.DATE,
            "total_cents": {**openapi.CENTS, "description": "The total of the invoices."},
            "invoices": openapi.array(
                RUN_INVOICE_SCHEMA,
                description="One per household owing something for the period.",
            ),
        }
    ),
)

PERIOD_DATE = openapi.DATE_2000


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Issue the invoices of a period (billing run)",
    description="Bills, per household, what the period owes and no invoice bills yet: "
    "presences on activities invoiced on attendance (at the household's QF price on the "
    "day), booked days of activities invoiced on booking (at the price when booked; a "
    "booked day missed without a medical certificate when the activity bills unused "
    "days), and the late price of a child present without booking. Only days before "
    "today are billed; closed days, cancelled and prepaid bookings never are. Each item "
    "is billed once, whatever runs overlap or run at the same moment; a later run bills "
    "what was recorded late. One invoice per household with a positive total, numbered "
    "without gaps in the year, due PORTAIL_INVOICE_DUE_DAYS after today. "
    "`dry_run: true` answers what would be issued (200, `id` and `number` null) and "
    f"writes nothing. The period covers at most {runs.MAX_PERIOD_DAYS} days, within the "
    f"years {FIRST_YEAR} to {LAST_YEAR}. Keys other than {', '.join(FIELDS)} are refused.",
    request=openapi.obj(
        {"period_start": PERIOD_DATE, "period_end": PERIOD_DATE},
        {"dry_run": openapi.or_null({**openapi.BOOLEAN, "description": "Default false."})},
    ),
    response=BILLING_RUN_SCHEMA,
    status=201,
    also={200: "a dry run (`dry_run: true`): what would be issued; nothing is written."},
    errors={
        422: "`period_order`: the period ends before it starts; `period_too_long`: more "
        f"than {runs.MAX_PERIOD_DAYS} days; `period_out_of_range`: outside the years "
        f"{FIRST_YEAR} to {LAST_YEAR}; `period_not_started`: the period starts today or "
        "later (only days before today are billed); `field` names the date at fault. "
        "`invalid_field` "
        "also for an unknown key.",
    },
)
def create_billing_run(request: ApiRequest) -> HttpResponse:
    start = read_staff_date(request.data, "period_start")
    end = read_staff_date(request.data, "period_end")
    dry_run = optional(read_bool, request.data, "dry_run", default=False)
    now = timezone.now()
    try:
        if dry_run:
            preview = runs.preview(start, end, now=now)
        else:
            run = runs.issue(start, end, actor=request.user, channel=Channel.API, now=now)
    except runs.RunRefused as refusal:
        raise ApiError(422, refusal.code, refusal.message, field=refusal.field) from None
    if dry_run:
        invoices = [
            {
                "id": None,
                "household_id": bill.household_id,
                "number": None,
                "total_cents": bill.total_cents,
            }
            for bill in preview.households
        ]
        body = {
            "id": None,
            "period_start": start,
            "period_end": end,
            "total_cents": preview.total_cents,
            "invoices": invoices,
        }
        return json_response(body, status=200)
    rows = run.invoices.order_by("year", "seq").values(
        "id", "household_id", "number", "total_cents"
    )
    body = {
        "id": run.pk,
        "period_start": run.period_start,
        "period_end": run.period_end,
        "total_cents": run.total_cents,
        "invoices": list(rows),
    }
    return json_response(body, status=201)
