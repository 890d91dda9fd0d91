"""The three yardstick views (see the package docstring)."""

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from bench.bare.models import Day, Row

CELLS = 60
ROWS_PER_SUBMISSION = 20


def noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


def two_reads(request: HttpRequest) -> HttpResponse:
    """What the token floor does at the least: two rows read by key (the token, then the
    open basket), a small JSON answer."""
    first = Day.objects.get(pk=1)
    second = Day.objects.filter(pk=2).first()
    return JsonResponse({"a": first.label, "b": second.label if second else None})


def page(request: HttpRequest) -> HttpResponse:
    days = list(Day.objects.order_by("pk")[:CELLS])
    return render(request, "bare/page.html", {"days": days})


@csrf_exempt
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"error": "method"}, status=405)
    who = int(json.loads(request.body or b"{}").get("who", 0))
    with transaction.atomic():
        day = Day.objects.select_for_update().get(pk=1)
        Row.objects.bulk_create(
            Row(day=day, who=who, price_cents=350 + n) for n in range(ROWS_PER_SUBMISSION)
        )
    return JsonResponse({"rows": ROWS_PER_SUBMISSION}, status=201)
