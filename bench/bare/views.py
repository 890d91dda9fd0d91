"""The three yardstick views (see the package docstring)."""

import json

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from bench.bare.models import Day, Row

CELLS = 60
ROWS_PER_SUBMISSION = 20
TOKEN_DAY = 61  # prepare_bare() inserts days 1-60; the token and basket reads miss (as a
# household without an open basket's read does), the household locks take days 21-60.


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


@csrf_exempt
def submission_statements(request: HttpRequest) -> HttpResponse:
    """What the portal's 20-day submission sends the database, and nothing else: its 10
    statements and 61 rows written (reservations/basket.py), in bare Django with no rule,
    no price and no answer to build. The token read; BEGIN; the household's row and the
    20 days locked in one statement; its open basket; one read of the days' facts; the
    basket; 20 rows in each of three tables (bookings, basket lines, history); COMMIT."""
    if request.method != "POST":
        return JsonResponse({"error": "method"}, status=405)
    who = int(json.loads(request.body or b"{}").get("who", 0))
    days = list(range(1, ROWS_PER_SUBMISSION + 1))
    household = 21 + who % 40
    Day.objects.filter(pk=TOKEN_DAY).first()
    with transaction.atomic():
        rows = Day.objects.select_for_update().filter(pk__in=[*days, household]).order_by("pk")
        locked = [day for day in rows if day.pk != household]
        Day.objects.filter(pk=TOKEN_DAY).first()
        list(Day.objects.filter(pk__in=days).values_list("pk", "taken"))
        Row.objects.create(day=locked[0], who=who, price_cents=0)
        for _table in range(3):
            Row.objects.bulk_create(Row(day=day, who=who, price_cents=350) for day in locked)
    return JsonResponse({"rows": 3 * ROWS_PER_SUBMISSION + 1}, status=201)
