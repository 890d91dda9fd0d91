"""Turning domain objects into the API's JSON shapes (plain dicts, dates left as dates).

Each function runs a fixed number of queries whatever the size of the household, and
documents its shape next to it in OpenAPI terms (the *_SCHEMA constants).
"""

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from portail.activities.models import Enrolment
from portail.api import openapi
from portail.billing import credits
from portail.families import quotient
from portail.families.models import Household


def household_credit_balance_cents(household: Household) -> int:
    """The household's credit (avoir), in cents, that its next basket will use.

    THE single place that answers this for the API: the ledger's balance minus what
    pending payments hold (portail.billing.credits.available_cents).
    """
    return credits.available_cents(household)


ACTIVITY_SCHEMA = openapi.component(
    "EnrolledActivity",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "name": openapi.STRING,
            "site": {"type": "string", "description": "The site's (school's) name."},
        }
    ),
)
ENROLMENT_SCHEMA = openapi.component(
    "Enrolment",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "activity": ACTIVITY_SCHEMA,
            "valid_from": openapi.DATE,
            "valid_to": openapi.DATE,
        },
        description="The child may book the activity between these dates (included).",
    ),
)
CHILD_SCHEMA = openapi.component(
    "Child",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "first_name": openapi.STRING,
            "last_name": openapi.STRING,
            "birth_date": openapi.DATE,
            "enrolments": openapi.array(ENROLMENT_SCHEMA),
        }
    ),
)
GUARDIAN_SCHEMA = openapi.component(
    "Guardian",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "email": openapi.STRING,
            "first_name": openapi.STRING,
            "last_name": openapi.STRING,
        },
        description="A guardian (responsable légal); id is the guardian's, not the login's.",
    ),
)
ADDRESS_SCHEMA = openapi.component(
    "HouseholdAddress",
    openapi.obj(
        {
            "line": {
                "type": "string",
                "description": "Street and number (may hold several lines); empty when not given.",
            },
            "postal_code": {"type": "string", "description": "Empty when not given."},
            "city": {"type": "string", "description": "Empty when not given."},
        },
        description="The household's postal address.",
    ),
)
QUOTIENT_SCHEMA = openapi.component(
    "HouseholdQuotient",
    openapi.obj(
        {
            "value": {
                "type": "integer",
                "minimum": 0,
                "maximum": quotient.QF_MAX,
                "description": "The quotient familial.",
            },
            "valid_from": openapi.DATE,
            "valid_to": {
                **openapi.nullable(openapi.DATE),
                "description": "Last day included; null: until further notice.",
            },
        },
        description=(
            "The quotient familial valid today (in the portal's time zone) and its period. "
            "It chooses the price band of each day when the day is booked."
        ),
    ),
)
HOUSEHOLD_SCHEMA = openapi.component(
    "Household",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "name": openapi.STRING,
            "credit_balance_cents": {
                "type": "integer",
                "description": "Credit (avoir) in euro cents, deducted from the next basket.",
            },
            "address": ADDRESS_SCHEMA,
            "quotient": {
                **openapi.nullable(QUOTIENT_SCHEMA),
                "description": "null: no quotient familial known today (the highest band).",
            },
            "guardians": openapi.array(GUARDIAN_SCHEMA),
            "children": openapi.array(CHILD_SCHEMA),
        }
    ),
)


def household_data(household: Household) -> dict[str, Any]:
    """The household with its address, today's QF, guardians, children and enrolments:
    4 queries."""
    today = timezone.localdate()
    periods = quotient.quotients_for([household.pk], today, today).get(household.pk, [])
    guardians = household.guardians.select_related("user").order_by("pk")
    children = household.children.order_by("first_name", "pk").prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("activity__site").order_by(
                "valid_from", "activity__name", "pk"
            ),
        )
    )
    return {
        "id": household.pk,
        "name": household.name,
        "credit_balance_cents": household_credit_balance_cents(household),
        "address": {
            "line": household.address,
            "postal_code": household.postal_code,
            "city": household.city,
        },
        "quotient": (
            {
                "value": periods[0].value,
                "valid_from": periods[0].valid_from,
                "valid_to": periods[0].valid_to,
            }
            if periods
            else None
        ),
        "guardians": [
            {
                "id": guardian.pk,
                "email": guardian.user.email,
                "first_name": guardian.user.first_name,
                "last_name": guardian.user.last_name,
            }
            for guardian in guardians
        ],
        "children": [
            {
                "id": child.pk,
                "first_name": child.first_name,
                "last_name": child.last_name,
                "birth_date": child.birth_date,
                "enrolments": [
                    {
                        "id": enrolment.pk,
                        "activity": {
                            "id": enrolment.activity.pk,
                            "name": enrolment.activity.name,
                            "site": enrolment.activity.site.name,
                        },
                        "valid_from": enrolment.valid_from,
                        "valid_to": enrolment.valid_to,
                    }
                    for enrolment in child.enrolments.all()
                ],
            }
            for child in children
        ],
    }
