"""The caller's household: who is in it and what the children are enrolled in."""

from django.http import HttpResponse

from portail.api.http import ApiRequest, endpoint, json_response
from portail.api.serializers import HOUSEHOLD_SCHEMA, household_data


@endpoint(
    methods=("GET",),
    auth="guardian",
    summary="The caller's household",
    description="Guardians, children and each child's enrolments (dates included).",
    response=HOUSEHOLD_SCHEMA,
)
def household(request: ApiRequest) -> HttpResponse:
    return json_response(household_data(request.household))
