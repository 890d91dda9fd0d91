"""The typical week through the API: preview (dry_run) or apply a weekday pattern.

The rules are reservations.typical_week's (and through it reservations.basket's): this
module reads the JSON, calls the service (history channel "typical_week") and writes the
answer. The basket returned is the same JSON as POST /basket's.
"""

import functools
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.changes import MAX_ID
from portail.api.fields import (
    Fields,
    optional,
    read_bool,
    read_choice,
    read_date,
    read_int,
    read_list,
    read_object,
)
from portail.api.http import ApiError, ApiRequest, endpoint, json_response, not_found_error
from portail.api.views.basket import BASKET_SCHEMA, basket_data
from portail.billing.quote import summarize
from portail.reservations import typical_plan
from portail.reservations import typical_week as tw
from portail.reservations.models import Channel

# Every child of a large family in each of its activities: more than this is a mistake.
MAX_PATTERNS = 50
# The keys of one pattern given at the top level of the body, instead of `patterns`.
SINGLE = ("child_id", "activity_id", "weekdays")

WEEKDAYS_SCHEMA = openapi.array(
    {"type": "integer", "minimum": 0, "maximum": 6},
    minItems=1,
    maxItems=7,
    description="Weekdays, Monday = 0 … Sunday = 6; only days the activity runs on.",
)
PATTERN_SCHEMA = openapi.component(
    "TypicalWeekPattern",
    openapi.obj(
        {
            "child_id": openapi.ID,
            "activity_id": openapi.ID,
            "weekdays": WEEKDAYS_SCHEMA,
        },
        description="One child's weekdays in one activity it is enrolled in.",
    ),
)
REQUEST_SCHEMA = openapi.component(
    "TypicalWeekRequest",
    openapi.obj(
        {},
        {
            "child_id": openapi.ID,
            "activity_id": openapi.ID,
            "weekdays": WEEKDAYS_SCHEMA,
            "patterns": openapi.array(
                PATTERN_SCHEMA,
                minItems=1,
                maxItems=MAX_PATTERNS,
                description="Several children or activities at once (e.g. a school year for "
                "three children in one request), instead of child_id, activity_id and "
                "weekdays.",
            ),
            "from": openapi.or_null(
                {
                    **openapi.DATE_2000,
                    "description": "First day (default: the next day that can still be booked on "
                    "time).",
                }
            ),
            "to": openapi.or_null(
                {
                    **openapi.DATE_2000,
                    "description": "Last day, included (default: the end of the enrolment or of "
                    "the school year, the earlier). At most 366 days from `from`.",
                }
            ),
            "mode": openapi.or_null(
                openapi.enum(
                    typical_plan.RESERVE,
                    typical_plan.CANCEL,
                    description="reserve (default): book these weekdays; cancel: cancel them "
                    "(only the days that can still be cancelled).",
                )
            ),
            "dry_run": openapi.or_null(
                {
                    "type": "boolean",
                    "description": "true: only say what would happen (nothing changes). "
                    "Default false.",
                }
            ),
        },
        description="Either child_id + activity_id + weekdays, or patterns (not both).",
        oneOf=[
            {"required": ["patterns"], "not": {"anyOf": [{"required": [n]} for n in SINGLE]}},
            {"required": list(SINGLE), "not": {"required": ["patterns"]}},
        ],
    ),
)
DAY_SCHEMA = openapi.component(
    "TypicalWeekDay",
    openapi.obj(
        {
            "child_id": openapi.INTEGER,
            "activity_id": openapi.INTEGER,
            "session_id": openapi.INTEGER,
            "date": openapi.DATE,
            "price_cents": {
                **openapi.CENTS,
                "description": "Reserve: the price (the late price when late). Cancel: the "
                "price paid.",
            },
            "late": {"type": "boolean", "description": "Past the booking deadline."},
            "action": openapi.enum(
                typical_plan.ACTION_RESERVE,
                typical_plan.ACTION_CANCEL,
                typical_plan.ACTION_WITHDRAW,
                description="reserve: a PRE-RESERVATION line; cancel: a cancellation line "
                "of a paid day (a credit once validated); withdraw: an unpaid request "
                "leaves the basket.",
            ),
        }
    ),
)
SKIPPED_SCHEMA = openapi.component(
    "TypicalWeekSkippedDay",
    openapi.obj(
        {
            "child_id": openapi.INTEGER,
            "activity_id": openapi.INTEGER,
            "session_id": openapi.nullable(openapi.INTEGER),
            "date": openapi.DATE,
            "code": openapi.enum(
                typical_plan.HOLIDAY,
                "closed",
                "full",
                "already_reserved",
                "not_reserved",
                "deadline_passed",
                "not_enrolled",
                typical_plan.NO_SESSION,
                "locked",
                "no_price",
                "family_file_required",
                description="holiday (public or school holiday), closed (closed by the "
                "service), full, already_reserved, not_reserved (cancel mode), "
                "deadline_passed, not_enrolled (outside the enrolment), no_session, locked "
                "(attendance recorded, or payment in progress), no_price, "
                "family_file_required (the family file of that school year is not accepted "
                "yet: the `family_file` procedure).",
            ),
            "reason": {"type": "string", "description": "For people, translated."},
        }
    ),
)
PLAN_SCHEMA = openapi.component(
    "TypicalWeekPlan",
    openapi.obj(
        {
            "mode": openapi.enum(typical_plan.RESERVE, typical_plan.CANCEL),
            "from": openapi.DATE,
            "to": openapi.DATE,
            "days": openapi.array(DAY_SCHEMA, description="The days that change, by date."),
            "skipped": openapi.array(SKIPPED_SCHEMA, description="The days that do not."),
            "total_cents": {
                **openapi.CENTS,
                "description": "Sum of the days' prices: what they add to the basket, or "
                "(cancel) what they take off it.",
            },
            "credit_cents": {
                **openapi.CENTS,
                "description": "Cancel mode: the credit the cancelled paid days give once "
                "the basket is validated.",
            },
        },
        {"basket": BASKET_SCHEMA},
        description="`basket` is absent for a dry run.",
    ),
)


def _read_weekdays(data: Any, name: str = "weekdays") -> tuple[int, ...]:
    days = read_list(
        data,
        name,
        of=functools.partial(read_int, min_value=0, max_value=6),
        min_length=1,
        max_length=7,
    )
    return tuple(sorted(set(days)))


def _read_pattern(data: Fields | dict[str, Any]) -> typical_plan.Pattern:
    return typical_plan.Pattern(
        child_id=read_int(data, "child_id", min_value=1, max_value=MAX_ID),
        activity_id=read_int(data, "activity_id", min_value=1, max_value=MAX_ID),
        weekdays=_read_weekdays(data),
    )


def _read_patterns(data: dict[str, Any]) -> list[typical_plan.Pattern]:
    if "patterns" not in data:
        return [_read_pattern(data)]
    single = [name for name in SINGLE if name in data]
    if single:
        raise ApiError(
            422,
            "invalid_field",
            _("Send either “patterns” or “child_id”, “activity_id” and “weekdays”, not both."),
            field=single[0],
        )
    items = read_list(data, "patterns", of=read_object, min_length=1, max_length=MAX_PATTERNS)
    return [_read_pattern(item) for item in items]


def _invalid(error: typical_plan.TypicalWeekInvalid) -> ApiError:
    if error.code in {"unknown_child", "unknown_activity"}:
        return not_found_error()
    return ApiError(422, "invalid_field", error.message, field=error.field or "weekdays")


def plan_data(plan: typical_plan.TypicalWeekPlan) -> dict[str, Any]:
    return {
        "mode": plan.mode,
        "from": plan.start,
        "to": plan.end,
        "days": [
            {
                "child_id": day.child.pk,
                "activity_id": day.activity.pk,
                "session_id": day.session_id,
                "date": day.date,
                "price_cents": day.price_cents,
                "late": day.late,
                "action": day.action,
            }
            for day in plan.days
        ],
        "skipped": skipped_data(plan),
        "total_cents": plan.total_cents,
        "credit_cents": plan.credit_cents,
    }


def skipped_data(plan: typical_plan.TypicalWeekPlan) -> list[dict[str, Any]]:
    return [
        {
            "child_id": day.child.pk,
            "activity_id": day.activity.pk,
            "session_id": day.session_id,
            "date": day.date,
            "code": day.code,
            "reason": day.reason,
        }
        for day in plan.skipped
    ]


@endpoint(
    methods=("POST",),
    auth="guardian",
    summary="Apply a typical week to a period",
    description="Books (or cancels) the same weekdays over a period, for one child and "
    "activity or several at once. Every rule of the planning applies day by day; a day "
    "that cannot change (holiday, closed, full, deadline passed...) is skipped and listed, "
    "never failing the others. With `dry_run` nothing changes and the answer is 200 (the "
    "same body without `basket`): a preview, advisory, since places may go meanwhile. "
    "Otherwise everything is judged again under the lock and put in the open basket in one "
    "step (201), for one payment; the history says channel typical_week for each day.",
    request=REQUEST_SCHEMA,
    response=PLAN_SCHEMA,
    status=201,
    also={200: "a dry run (`dry_run: true`): what would happen; nothing changed."},
    errors={
        404: "`not_found`: the child is not the household's, or is not enrolled in the activity.",
        422: "`nothing_to_do`: no day of the period can change, nothing changed; `skipped` "
        "lists why (same items as in a success).",
    },
)
def typical_week(request: ApiRequest) -> HttpResponse:
    data = request.data
    patterns = _read_patterns(data)
    start = optional(read_date, data, "from")
    end = optional(read_date, data, "to")
    mode = optional(
        read_choice, data, "mode", default=typical_plan.RESERVE, choices=typical_plan.MODES
    )
    dry_run = optional(read_bool, data, "dry_run", default=False)
    if start is None or end is None:
        default_start, default_end = tw.default_period(request.household, start=start)
        start, end = start or default_start, end or default_end
    arguments = {
        "patterns": patterns,
        "start": start,
        "end": end,
        "mode": mode,
        "actor": request.user,
    }
    try:
        if dry_run:
            plan = tw.preview_typical_week(request.household, **arguments)
            return json_response(plan_data(plan))
        basket, plan = tw.apply_typical_week(
            request.household, **arguments, channel=Channel.TYPICAL_WEEK
        )
    except typical_plan.TypicalWeekInvalid as error:
        raise _invalid(error) from None
    except typical_plan.NothingToDo as nothing:
        raise ApiError(
            422,
            "nothing_to_do",
            _("No day of this period can change; nothing was changed."),
            skipped=skipped_data(nothing.plan),
        ) from None
    return json_response({**plan_data(plan), "basket": basket_data(summarize(basket))}, status=201)
