"""Staff endpoints on households: create one, book for it, adjust its credit.

Gestionnaires only (`roles=(GESTIONNAIRE,)`). The rules are the back office's services
(backoffice.households, backoffice.booking), the same as the staff pages'; this module
reads the JSON and writes the answer.
"""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from portail.api import openapi
from portail.api.changes import MAX_CHANGES, MAX_ID, read_changes
from portail.api.fields import (
    Fields,
    invalid,
    optional,
    read_bool,
    read_int,
    read_list,
    read_object,
    read_str,
)
from portail.api.http import ApiError, ApiRequest, endpoint, get_or_404, json_response
from portail.api.views.basket import (
    AT_LEAST_ONE_CHANGE,
    BASKET_SCHEMA,
    CHANGE_SCHEMA,
    basket_data,
)
from portail.api.views.staff_fields import read_staff_date
from portail.backoffice import booking, households
from portail.backoffice.households import ChildData, EnrolmentData, GuardianData, Refused
from portail.backoffice.permissions import GESTIONNAIRE
from portail.billing import credits
from portail.billing.invoicing import billed
from portail.billing.quote import summarize
from portail.families.models import Household
from portail.reservations.judging import ChangesRefused

GUARDIAN_NAME_MAX_LENGTH = 150
GUARDIAN_IN = openapi.obj(
    {
        "email": {**openapi.text(households.EMAIL_MAX_LENGTH), "format": "email"},
        "first_name": openapi.text(GUARDIAN_NAME_MAX_LENGTH),
        "last_name": openapi.text(GUARDIAN_NAME_MAX_LENGTH),
    }
)
ENROLMENT_IN = openapi.obj(
    {
        "activity_id": openapi.ID,
        "valid_from": openapi.DATE_2000,
        "valid_to": openapi.DATE_2000,
    }
)
CHILD_IN = openapi.obj(
    {
        "first_name": openapi.text(households.PERSON_NAME_MAX_LENGTH),
        "last_name": openapi.text(households.PERSON_NAME_MAX_LENGTH),
        "birth_date": openapi.DATE_2000,
    },
    {
        "enrolments": openapi.or_null(
            openapi.array(ENROLMENT_IN, maxItems=households.MAX_ENROLMENTS)
        )
    },
)
NEW_HOUSEHOLD_SCHEMA = openapi.component(
    "StaffNewHousehold",
    openapi.obj(
        {
            "name": openapi.text(households.NAME_MAX_LENGTH),
            "guardians": openapi.array(GUARDIAN_IN, minItems=1, maxItems=households.MAX_GUARDIANS),
        },
        {"children": openapi.or_null(openapi.array(CHILD_IN, maxItems=households.MAX_CHILDREN))},
        description="Each guardian gets a login without a password and is e-mailed the "
        "activation link. All or nothing.",
    ),
)
CREATED_HOUSEHOLD_SCHEMA = openapi.component(
    "StaffCreatedHousehold",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "guardians": openapi.array(
                openapi.obj({"id": openapi.INTEGER, "email": openapi.STRING})
            ),
            "children": openapi.array(
                openapi.obj(
                    {
                        "id": openapi.INTEGER,
                        "first_name": openapi.STRING,
                        "enrolments": openapi.array(
                            openapi.obj({"id": openapi.INTEGER, "activity_id": openapi.INTEGER})
                        ),
                    }
                )
            ),
        }
    ),
)
STAFF_CHANGES_SCHEMA = openapi.component(
    "StaffBasketChanges",
    openapi.obj(
        {},
        {
            "add": openapi.or_null(openapi.array(CHANGE_SCHEMA, maxItems=MAX_CHANGES)),
            "cancel": openapi.or_null(openapi.array(CHANGE_SCHEMA, maxItems=MAX_CHANGES)),
            "bypass_deadlines": openapi.or_null(
                {
                    **openapi.BOOLEAN,
                    "description": "Pass the booking and cancellation deadlines (no late "
                    "price either). Default false.",
                }
            ),
            "reason": openapi.or_null(
                {
                    **openapi.text(booking.REASON_MAX_LENGTH),
                    "description": "Why the deadlines are passed: required when "
                    "bypass_deadlines is true; kept in the staff's history.",
                }
            ),
        },
        description="The parents' basket body (POST /basket), plus bypass_deadlines and "
        "reason. At least one change; all or nothing (422 invalid_changes).",
        anyOf=AT_LEAST_ONE_CHANGE,
    ),
)
CREDIT_IN_SCHEMA = openapi.component(
    "StaffCreditAdjustment",
    openapi.obj(
        {
            "amount_cents": openapi.amount(
                -households.ADJUSTMENT_MAX_CENTS,
                households.ADJUSTMENT_MAX_CENTS,
                zero=False,
                description="Positive adds credit, negative takes it back (never below "
                "zero). Not zero.",
            ),
            "reason": openapi.text(credits.REASON_MAX_LENGTH),
        }
    ),
)
CREDIT_OUT_SCHEMA = openapi.component(
    "StaffCreditEntry",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "amount_cents": openapi.CENTS,
            "balance_cents": {**openapi.CENTS, "description": "The balance after it."},
            "available_cents": {
                **openapi.CENTS,
                "description": "What a new basket can use (balance minus pending payments).",
            },
            "reason": openapi.STRING,
            "created_at": openapi.DATETIME,
        }
    ),
)


def _refused(refusal: Refused) -> ApiError:
    return ApiError(
        422, "invalid_field", refusal.message, field=refusal.field or "non_field_errors"
    )


def _read_enrolment(item: Fields) -> EnrolmentData:
    return EnrolmentData(
        activity_id=read_int(item, "activity_id", min_value=1, max_value=MAX_ID),
        valid_from=read_staff_date(item, "valid_from"),
        valid_to=read_staff_date(item, "valid_to"),
    )


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Create a household",
    description="Creates the household, its guardians' logins (each e-mailed the "
    "activation link), its children and their enrolments.",
    request=NEW_HOUSEHOLD_SCHEMA,
    response=CREATED_HOUSEHOLD_SCHEMA,
    status=201,
)
def create_household(request: ApiRequest) -> HttpResponse:
    data = request.data
    name = read_str(data, "name", max_length=households.NAME_MAX_LENGTH)
    guardians = [
        GuardianData(
            email=read_str(item, "email", max_length=households.EMAIL_MAX_LENGTH),
            first_name=read_str(item, "first_name", max_length=GUARDIAN_NAME_MAX_LENGTH),
            last_name=read_str(item, "last_name", max_length=GUARDIAN_NAME_MAX_LENGTH),
        )
        for item in read_list(
            data,
            "guardians",
            of=read_object,
            min_length=1,
            max_length=households.MAX_GUARDIANS,
        )
    ]
    children = [
        ChildData(
            first_name=read_str(item, "first_name", max_length=households.PERSON_NAME_MAX_LENGTH),
            last_name=read_str(item, "last_name", max_length=households.PERSON_NAME_MAX_LENGTH),
            birth_date=read_staff_date(item, "birth_date"),
            enrolments=tuple(
                _read_enrolment(enrolment)
                for enrolment in optional(
                    read_list,
                    item,
                    "enrolments",
                    default=[],
                    of=read_object,
                    max_length=households.MAX_ENROLMENTS,
                )
            ),
        )
        for item in optional(
            read_list,
            data,
            "children",
            default=[],
            of=read_object,
            max_length=households.MAX_CHILDREN,
        )
    ]
    try:
        created = households.create_household(
            name=name, guardians=guardians, children=children, actor=request.user, request=request
        )
    except Refused as refusal:
        raise _refused(refusal) from None
    body: dict[str, Any] = {
        "id": created.household.pk,
        "guardians": [{"id": g.pk, "email": g.user.email} for g in created.guardians],
        "children": [
            {
                "id": child.pk,
                "first_name": child.first_name,
                "enrolments": [
                    {"id": e.pk, "activity_id": e.activity_id} for e in created.enrolments[child.pk]
                ],
            }
            for child in created.children
        ],
    }
    return json_response(body, status=201)


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Submit changes to a household's basket, as staff",
    description="The parents' basket contract (POST /basket), acting for the household: "
    "the family's history says “Service gestionnaire”. With bypass_deadlines (and a "
    "reason) the deadlines do not apply and no late price either.",
    request=STAFF_CHANGES_SCHEMA,
    response=BASKET_SCHEMA,
    status=201,
    errors={
        404: "`not_found`: no such household.",
        422: "`invalid_changes`: some changes were refused, nothing changed; `items` lists "
        "them as {child_id, session_id, code} (codes as for POST /basket). "
        "`invalid_field` with field `reason`: bypass_deadlines without a reason.",
        409: "`already_invoiced`: a day to cancel is on an invoice, so it is final (the "
        "message names the invoice; a correction is a credit note on it); nothing changed; "
        "`items` lists the days.",
    },
)
def household_basket(request: ApiRequest, household_id: int) -> HttpResponse:
    household = get_or_404(Household.objects.all(), pk=household_id)
    add = read_changes(request.data, "add")
    cancel = read_changes(request.data, "cancel")
    bypass = optional(read_bool, request.data, "bypass_deadlines", default=False)
    reason = optional(
        read_str, request.data, "reason", default="", max_length=booking.REASON_MAX_LENGTH
    )
    if not add and not cancel:
        raise invalid(request.data, "add", _("Send at least one change in “add” or “cancel”."))
    try:
        basket = booking.submit_for_household(
            household,
            add=add,
            cancel=cancel,
            actor=request.user,
            bypass_deadlines=bypass,
            reason=reason,
        )
    except Refused as refusal:
        raise _refused(refusal) from None
    except ChangesRefused as refused:
        if refused.refusals and all(r.code == billed.CODE for r in refused.refusals):
            raise ApiError(
                409,
                billed.CODE,
                refused.refusals[0].reason,
                items=[
                    {"child_id": r.child_id, "session_id": r.session_id, "code": r.code}
                    for r in refused.refusals
                ],
            ) from None
        raise ApiError(
            422,
            "invalid_changes",
            _("Some changes were refused; nothing was changed."),
            items=[
                {"child_id": r.child_id, "session_id": r.session_id, "code": r.code}
                for r in refused.refusals
            ],
        ) from None
    return json_response(basket_data(summarize(basket)), status=201)


@endpoint(
    methods=("POST",),
    auth="staff",
    roles=(GESTIONNAIRE,),
    summary="Adjust a household's credit",
    description="Adds (positive) or takes back (negative) credit, with a reason kept in "
    "the ledger. The balance never goes below zero.",
    request=CREDIT_IN_SCHEMA,
    response=CREDIT_OUT_SCHEMA,
    status=201,
    errors={404: "`not_found`: no such household."},
)
def household_credit(request: ApiRequest, household_id: int) -> HttpResponse:
    household = get_or_404(Household.objects.all(), pk=household_id)
    amount = read_int(
        request.data,
        "amount_cents",
        min_value=-households.ADJUSTMENT_MAX_CENTS,
        max_value=households.ADJUSTMENT_MAX_CENTS,
    )
    reason = read_str(request.data, "reason", max_length=credits.REASON_MAX_LENGTH)
    try:
        entry = households.adjust_credit(household, amount, reason=reason, actor=request.user)
    except Refused as refusal:
        raise _refused(refusal) from None
    return json_response(
        {
            "id": entry.pk,
            "amount_cents": entry.amount_cents,
            "balance_cents": entry.balance_after_cents,
            "available_cents": credits.available_cents(household),
            "reason": entry.reason,
            "created_at": entry.created_at,
        },
        status=201,
    )
