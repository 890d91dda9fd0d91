"""A test-only endpoint using every field reader and get_or_404, under the real stack."""

from django.http import HttpResponse
from django.urls import include, path

from portail.api.fields import (
    optional,
    read_bool,
    read_choice,
    read_date,
    read_int,
    read_iso_week,
    read_list,
    read_object,
    read_str,
)
from portail.api.http import ApiRequest, endpoint, get_or_404, json_response
from portail.families.models import Child


# Any object: the readers below check the fields (no key is refused as unknown here).
@endpoint(methods=("POST",), auth="guardian", summary="Probe", request={"type": "object"})
def fields(request: ApiRequest) -> HttpResponse:
    data = request.data
    lines = read_list(data, "lines", of=read_object, max_length=3)
    return json_response(
        {
            "child_id": read_int(data, "child_id", min_value=1),
            "name": read_str(data, "name", max_length=10),
            "day": read_date(data, "day"),
            "week": read_iso_week(data, "week"),
            "flag": read_bool(data, "flag"),
            "action": read_choice(data, "action", ("book", "cancel")),
            "days": read_list(data, "days", of=read_date),
            "line_days": [read_date(line, "date") for line in lines],
            "note": optional(read_str, data, "note", default="none"),
        }
    )


@endpoint(methods=("GET",), auth="guardian", summary="Probe")
def child(request: ApiRequest, child_id: int) -> HttpResponse:
    found = get_or_404(Child.objects.filter(household=request.household), pk=child_id)
    return json_response({"id": found.pk})


urlpatterns = [
    path("probe/fields", fields),
    path("probe/children/<int:child_id>", child),
    path("api/v1/", include("portail.api.urls")),
]
