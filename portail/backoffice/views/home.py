"""The back office's entry page: what needs the service today (dashboard.py), and what
this staff member's role gives access to."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portail.backoffice import dashboard
from portail.backoffice.permissions import GESTIONNAIRE, POINTAGE, has_role, require_role, sites_for


@require_role()
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    site_ids = None
    if has_role(request.user, POINTAGE):
        site_ids = list(sites_for(request.user).values_list("pk", flat=True))
    context = {
        "today": today,
        "sites_today": dashboard.sites_today(today, site_ids=site_ids, now=now),
        "money": dashboard.money_today(now) if has_role(request.user, GESTIONNAIRE) else None,
        "lapsing_minutes": dashboard.LAPSING_MINUTES,
    }
    return render(request, "backoffice/index.html", context)
