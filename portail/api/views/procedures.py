"""The procedures (démarches) a family can start now: GET procedures."""

from django.http import HttpResponse

from portail.api import openapi
from portail.api.http import ApiRequest, endpoint, json_response
from portail.api.request_serializers import PROCEDURE_CODE
from portail.procedures.models import Procedure

PROCEDURE_SCHEMA = openapi.component(
    "Procedure",
    openapi.obj(
        {
            "code": {
                **PROCEDURE_CODE,
                "description": "What POST /requests takes as `procedure`.",
            },
            "title": {"type": "string", "description": "As the city names it."},
            "description": {
                "type": "string",
                "description": "The help text shown above the form; may be empty.",
            },
        }
    ),
)


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The procedures open now",
    description="The démarches a family can start (the city opens and closes them), in "
    "the city's order. A closed one takes no new request (409 `closed`).",
    response=openapi.array(PROCEDURE_SCHEMA),
)
def procedure_list(request: ApiRequest) -> HttpResponse:
    return json_response(
        [
            {"code": procedure.code, "title": procedure.title, "description": procedure.description}
            for procedure in Procedure.objects.filter(is_open=True)
        ]
    )
