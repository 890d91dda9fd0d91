"""The back office's entry page: what this staff member's role gives access to."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from portail.backoffice.permissions import require_role


@require_role()
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/index.html", {})
