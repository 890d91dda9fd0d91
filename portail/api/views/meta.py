"""The API describing itself, and the JSON answer for URLs it does not have."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from portail.api.http import ApiRequest, endpoint, json_response, not_found_error, render_error
from portail.api.openapi import build_document


@endpoint(
    methods=("GET",),
    auth=None,
    summary="This document",
    description="The OpenAPI 3.1 description of every endpoint.",
    response={"type": "object", "description": "An OpenAPI 3.1 document."},
)
def openapi_document(request: ApiRequest) -> HttpResponse:
    return json_response(build_document())


@csrf_exempt
def not_found(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """Any other URL under /api/v1/: a JSON 404 rather than the site's HTML page."""
    return render_error(request, not_found_error)


not_found.openapi_hidden = True  # type: ignore[attr-defined]
