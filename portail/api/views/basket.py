"""The caller's basket: submit changes (POST), see it (GET), drop it (DELETE, "ANNULER").

The rules are reservations.basket's, the same as the planning page's; this module only
reads the JSON, calls the service with channel "api" and writes the answer.
"""

import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.changes import MAX_CHANGES, read_changes
from portail.api.fields import invalid
from portail.api.http import (
    ApiError,
    ApiRequest,
    endpoint,
    json_response,
    no_content,
    not_found_error,
)
from portail.billing.quote import BasketSummary, summarize
from portail.reservations.basket import (
    credit_read_by_submission,
    rows_after_submission,
    submit_changes,
)
from portail.reservations.holds import drop_basket, open_basket
from portail.reservations.judging import ChangesRefused
from portail.reservations.models import BasketStatus, Channel

CHANGE_SCHEMA = openapi.component(
    "Change",
    openapi.obj(
        {"child_id": openapi.ID, "session_id": openapi.ID},
        description="One child on one session (the planning's child_id and session_id).",
    ),
)
# "At least one change": a non-empty `add` or a non-empty `cancel` (the staff's body too).
AT_LEAST_ONE_CHANGE = [
    {"required": [name], "properties": {name: {"type": "array", "minItems": 1}}}
    for name in ("add", "cancel")
]
CHANGES_SCHEMA = openapi.component(
    "BasketChanges",
    openapi.obj(
        {},
        {
            "add": openapi.or_null(
                openapi.array(
                    CHANGE_SCHEMA,
                    maxItems=MAX_CHANGES,
                    description="Days to book (or, for a day whose cancellation is in the "
                    "basket, to keep).",
                )
            ),
            "cancel": openapi.or_null(
                openapi.array(
                    CHANGE_SCHEMA,
                    maxItems=MAX_CHANGES,
                    description="Unpaid requests to withdraw from the basket, or paid days "
                    "to cancel (a cancellation line, credited once the basket is validated).",
                )
            ),
        },
        description="At least one change in `add` or `cancel`. All or nothing: if any "
        "change is refused, nothing changes (422 invalid_changes).",
        anyOf=AT_LEAST_ONE_CHANGE,
    ),
)
LINE_SCHEMA = openapi.component(
    "BasketLine",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "kind": openapi.enum(
                "reservation",
                "cancellation",
                description="reservation: PRE-RESERVATION (+1); cancellation: ANNULATION (-1).",
            ),
            "child_id": openapi.INTEGER,
            "child": {"type": "string", "description": "Last name then first name."},
            "session_id": openapi.INTEGER,
            "activity": openapi.STRING,
            "date": openapi.DATE,
            "start": {"type": "string", "pattern": r"^\d{2}:\d{2}$", "examples": ["12:00"]},
            "quantity": {"type": "integer", "enum": [1, -1]},
            "unit_price_cents": openapi.CENTS,
            "total_cents": {
                "type": "integer",
                "description": "quantity × unit price, in cents (negative for a cancellation).",
            },
            "late": {"type": "boolean", "description": "Booked at the surcharged price."},
            "invoiced": {
                "type": "boolean",
                "description": "A day of an activity invoiced on booking: shown at its "
                "price, but not paid with the basket (invoiced later) and not credited when "
                "cancelled.",
            },
            "offer": {
                "type": "boolean",
                "description": "A place offered from the waiting list (POST /waiting-list): "
                "held until the line's own `expires_at`; pay the basket to take it, DELETE "
                "/waiting-list/{id} or cancel the line to decline it.",
            },
            "expires_at": {
                **openapi.nullable(openapi.DATETIME),
                "description": "An offer's own end (then it goes to the next family); null "
                "for other lines (the basket's `expires_at` applies).",
            },
        }
    ),
)
BASKET_SCHEMA = openapi.component(
    "Basket",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "reference": {
                "type": "string",
                "description": "The basket's reference (the payment's référence de la dette).",
            },
            "status": openapi.enum(*BasketStatus.values),
            "expires_at": {
                **openapi.nullable(openapi.DATETIME),
                "description": "When the held places are released if the basket is not paid.",
            },
            "lines": openapi.array(LINE_SCHEMA),
            "reservations_total_cents": {
                **openapi.CENTS,
                "description": "Total of the reservation lines paid with the basket "
                "(Montant total de la réservation); days invoiced later are not in it.",
            },
            "invoiced_total_cents": {
                **openapi.CENTS,
                "description": "Total of the reservation lines invoiced later (activities "
                "invoiced on booking): not paid now.",
            },
            "cancellations_total_cents": {
                **openapi.CENTS,
                "description": "Total of the cancellation lines, positive (Montant total de "
                "l'annulation): the credit they give once the basket is validated.",
            },
            "credit_available_cents": openapi.CENTS,
            "credit_applied_cents": openapi.CENTS,
            "amount_due_cents": {
                **openapi.CENTS,
                "description": "Reservations minus the credit applied: what is left to pay.",
            },
        }
    ),
)


def _paris(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Paris time, to the second (rounded down: never later than the real moment)."""
    return timezone.localtime(moment).replace(microsecond=0) if moment else None


def basket_data(summary: BasketSummary) -> dict[str, Any]:
    basket = summary.basket
    return {
        "id": basket.pk,
        "reference": basket.reference,
        "status": basket.status,
        # Paris time, to the second (rounded down: never later than the real expiry).
        "expires_at": (
            timezone.localtime(basket.expires_at).replace(microsecond=0)
            if basket.expires_at
            else None
        ),
        "lines": [
            {
                "id": line.line.pk,
                "kind": str(line.kind),
                "child_id": line.child.pk,
                "child": f"{line.child.last_name} {line.child.first_name}",
                "session_id": line.line.session_id,
                "activity": line.activity.name,
                "date": line.date,
                "start": line.start.strftime("%H:%M"),
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "total_cents": line.total_cents,
                "late": line.late,
                "invoiced": line.invoiced,
                "offer": line.offer_expires_at is not None,
                "expires_at": _paris(line.offer_expires_at),
            }
            for line in summary.lines
        ],
        "reservations_total_cents": summary.reservations_total_cents,
        "cancellations_total_cents": summary.cancellations_total_cents,
        "invoiced_total_cents": summary.invoiced_total_cents,
        "credit_available_cents": summary.credit_available_cents,
        "credit_applied_cents": summary.credit_applied_cents,
        "amount_due_cents": summary.amount_due_cents,
    }


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Submit changes to the basket",
    description="Adds the changes to the household's open basket (created if needed) and "
    "holds the requested places until `expires_at`. Days are booked only once paid.",
    request=CHANGES_SCHEMA,
    response=BASKET_SCHEMA,
    status=201,
    errors={
        422: "`invalid_changes`: some changes were refused, nothing changed; `items` lists "
        "them as {child_id, session_id, code}, code one of full, deadline_passed, "
        "not_enrolled, closed, already_reserved, not_reserved, unknown (not a child or "
        "session of this household), no_booking_required, duplicate, locked, no_price, "
        "family_file_required (the city requires the family file of that day's school year "
        "to be accepted first: the `family_file` procedure).",
    },
)
def submit(request: ApiRequest) -> HttpResponse:
    add = read_changes(request.data, "add")
    cancel = read_changes(request.data, "cancel")
    if not add and not cancel:
        raise invalid(request.data, "add", _("Send at least one change in “add” or “cancel”."))
    try:
        basket = submit_changes(
            request.household, add=add, cancel=cancel, actor=request.user, channel=Channel.API
        )
    except ChangesRefused as refused:
        raise ApiError(
            422,
            "invalid_changes",
            _("Some changes were refused; nothing was changed."),
            items=[
                {"child_id": r.child_id, "session_id": r.session_id, "code": r.code}
                for r in refused.refusals
            ],
        ) from None
    rows = rows_after_submission(basket)
    credit = credit_read_by_submission(basket)
    return json_response(basket_data(summarize(basket, rows, available=credit)), status=201)


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The open basket",
    description="The household's open basket with its lines and totals.",
    response=BASKET_SCHEMA,
    errors={404: "`not_found`: no open basket (none, or it expired)."},
)
def show(request: ApiRequest) -> HttpResponse:
    basket = open_basket(request.household)
    if basket is None:
        raise not_found_error()
    return json_response(basket_data(summarize(basket)))


@endpoint(
    methods=("DELETE",),
    auth="guardian",
    summary="Cancel the open basket (ANNULER)",
    description="Drops the open basket: its requested days are released, its cancellations "
    "withdrawn (those days stay booked). Any body is ignored.",
    status=204,
    errors={404: "`not_found`: no open basket (none, or it expired)."},
)
def drop(request: ApiRequest) -> HttpResponse:
    if not drop_basket(request.household, actor=request.user, channel=Channel.API):
        raise not_found_error()
    return no_content()
