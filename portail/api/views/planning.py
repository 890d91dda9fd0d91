"""The caller's week planning: every child's blocks, with their state and price."""

import datetime
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from portail.activities.models import BillingMode
from portail.api import openapi
from portail.api.fields import invalid, optional, read_iso_week
from portail.api.http import ApiRequest, endpoint, json_response
from portail.reservations.forms import FIRST_YEAR, LAST_YEAR, monday_of
from portail.reservations.planning import PlanningCell, week_planning
from portail.reservations.states import CellState

CELL_SCHEMA = openapi.component(
    "PlanningCell",
    openapi.obj(
        {
            "child_id": openapi.INTEGER,
            "session_id": openapi.INTEGER,
            "activity_id": openapi.INTEGER,
            "activity": {"type": "string", "description": "The activity's name."},
            "date": openapi.DATE,
            "start": {"type": "string", "pattern": r"^\d{2}:\d{2}$", "examples": ["12:00"]},
            "end": {"type": "string", "pattern": r"^\d{2}:\d{2}$", "examples": ["13:30"]},
            "state": openapi.enum(
                *CellState.values,
                description=(
                    "The block's state (the planning's colour legend): not_reserved, "
                    "reserved (paid), full, requested (in the basket, not paid), "
                    "cancel_requested, not_used (booked, absent), attendance_recorded, "
                    "no_reservation_required, closed, not_enrolled, locked, cancelled (a past "
                    "day whose booking was cancelled, by the family or by a closure), "
                    "waiting_list (the child waits for a place: waiting_rank)."
                ),
            ),
            "waiting_rank": {
                **openapi.nullable(openapi.INTEGER),
                "description": "The child's rank on the day's waiting list when the state "
                "is waiting_list (1: first served), else null (POST /waiting-list).",
            },
            "places_left": {
                **openapi.nullable(openapi.INTEGER),
                "description": "Places this child could still book on the day (the families "
                "on its waiting list are served first); null when places are not limited "
                "(no reservation required, or the day is closed).",
            },
            "price_cents": {
                **openapi.nullable(openapi.CENTS),
                "description": "What booking now costs (the late price when late), or what "
                "was paid; null when there is no price (e.g. no reservation required).",
            },
            "late": {
                "type": "boolean",
                "description": "Past the booking deadline: the surcharged price applies.",
            },
            "billing_mode": openapi.enum(
                *BillingMode.values,
                description=(
                    "How the activity is paid: prepaid (the basket asks for the price), "
                    "on_booking (booked through the basket, nothing to pay now: invoiced "
                    "later), on_attendance (no booking: each presence is invoiced)."
                ),
            ),
            "editable": {
                "type": "boolean",
                "description": "True when POST /basket would accept a change of this block "
                "now: `add` it when not_reserved (or cancel_requested, to keep the day), "
                "`cancel` it when reserved or requested.",
            },
        }
    ),
)
WEEK_SCHEMA = openapi.component(
    "PlanningWeek",
    openapi.obj(
        {
            "week": openapi.ISO_WEEK,
            "start": {**openapi.DATE, "description": "Monday of the week."},
            "end": {**openapi.DATE, "description": "Sunday of the week."},
            "cells": openapi.array(
                CELL_SCHEMA,
                description="One per child and session of an activity the child is enrolled "
                "in during the week, by date, start time and child.",
            ),
        }
    ),
)


def cell_data(cell: PlanningCell) -> dict[str, Any]:
    return {
        "child_id": cell.child_id,
        "session_id": cell.session_id,
        "activity_id": cell.activity_id,
        "activity": cell.activity,
        "date": cell.date,
        "start": cell.start.strftime("%H:%M"),
        "end": cell.end.strftime("%H:%M"),
        "state": str(cell.state),
        "waiting_rank": cell.waiting_rank,
        "places_left": cell.places_left,
        "price_cents": cell.price_cents,
        "late": cell.late,
        "billing_mode": cell.billing_mode,
        "editable": cell.editable,
    }


def requested_monday(request: ApiRequest) -> datetime.date:
    """The Monday of ?week=2026-W49, or of the current week when the parameter is absent."""
    monday = optional(read_iso_week, request.GET, "week")
    if monday is None:
        return monday_of(timezone.localdate())
    if not FIRST_YEAR <= monday.year <= LAST_YEAR:
        raise invalid(
            request.GET,
            "week",
            _("The field “%(field)s” must be a week from %(first)s to %(last)s."),
            first=str(FIRST_YEAR),
            last=str(LAST_YEAR),
        )
    return monday


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The week planning",
    description="Every block of the caller's children for one ISO week: state, price, and "
    "whether it can change now. Without `week`, the current week (Europe/Paris).",
    query=[
        openapi.query_param(
            "week", openapi.ISO_WEEK, "The ISO week, e.g. 2026-W49 (default: this week)."
        )
    ],
    response=WEEK_SCHEMA,
)
def planning(request: ApiRequest) -> HttpResponse:
    week = week_planning(request.household, requested_monday(request))
    return json_response(
        {
            "week": week.week,
            "start": week.start,
            "end": week.end,
            "cells": [cell_data(cell) for cell in week.cells],
        }
    )
