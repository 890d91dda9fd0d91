""" "Where my request stands": the household's requests in the booking windows' draws.

Before the draw: registered, with the time of the draw. After it: the household's rank
among how many, whether it came first as a priority household, and each day given or
not (and why). Opening the page makes the draws that are due (draws.settle_due).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from portail.families.guardians import guardian_required
from portail.families.models import Household
from portail.reservations import draws, windows


@require_http_methods(["GET", "HEAD"])
@guardian_required
def draw_status(request: HttpRequest) -> HttpResponse:
    household: Household = request.household  # type: ignore[attr-defined]
    draws.settle_due()
    entries = windows.household_entries(household)
    totals = windows.entry_counts([e.window_id for e in entries])
    rows = [(entry, totals.get(entry.window_id, 0)) for entry in entries]
    return render(request, "reservations/draw_status.html", {"rows": rows})
