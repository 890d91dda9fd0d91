"""Endpoints for the service gestionnaire (everything under /api/v1/staff/ is auth="staff")."""

from django.http import HttpResponse

from portail.api import openapi
from portail.api.http import ApiRequest, endpoint, json_response

STAFF_ME_SCHEMA = openapi.component(
    "StaffMember",
    openapi.obj(
        {
            "id": openapi.INTEGER,
            "email": openapi.STRING,
            "first_name": openapi.STRING,
            "last_name": openapi.STRING,
            "is_staff": {"const": True},
        }
    ),
)


@endpoint(
    methods=("GET",),
    auth="staff",
    summary="The calling staff member",
    description="Lets a staff tool check its token before calling other staff endpoints.",
    response=STAFF_ME_SCHEMA,
)
def me(request: ApiRequest) -> HttpResponse:
    user = request.user
    return json_response(
        {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_staff": True,
        }
    )
