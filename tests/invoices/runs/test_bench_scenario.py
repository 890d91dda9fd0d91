"""The bench's billing run (bench/scenarios/billing_run.py) on a tiny generated city: the
ALAE invoiced on attendance bill the month's presences, in two runs that bill each
presence once, and the city is put back as it was. No timing here: figures come from
`python -m bench`, never from the test suite."""

import datetime
import types

import pytest

from bench.city import generate_city
from bench.scenarios import SCENARIOS, billing_run
from portail.activities.models import Activity, BillingMode
from portail.billing.models import BillingRun, Invoice, InvoiceLine, NumberSequence
from portail.reservations.models import Attendance
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 26)


def test_the_month_billed():
    assert billing_run.billed_month(TODAY, datetime.date(2026, 9, 1)) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
    )
    assert billing_run.billed_month(datetime.date(2026, 9, 10), datetime.date(2026, 9, 1)) == (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 9),
    )


def test_the_scenario_bills_the_month_of_presences_once_and_puts_the_city_back(monkeypatch):
    city = generate_city(0.004, seed=7, today=TODAY)
    start, end = billing_run.billed_month(TODAY, city.year_start)
    presences = Attendance.objects.filter(
        present=True,
        session__activity__kind=Activity.Kind.ALAE,
        session__is_open=True,
        session__date__range=(start, end),
    ).count()
    assert presences > 0
    parts = billing_run.school_parts(billing_run.alae_ids())
    seen = {}
    original = billing_run.timed_run

    def spy(*args):
        issued, seconds, statements, lines = original(*args)
        seen[issued.pk] = (issued.invoice_count, lines, issued.total_cents)
        return issued, seconds, statements, lines

    monkeypatch.setattr(billing_run, "timed_run", spy)
    result = billing_run.run(types.SimpleNamespace(city=city))
    assert len(seen) == len(parts)
    assert sum(lines for _n, lines, _t in seen.values()) == presences
    assert all(n > 0 for n, _lines, _t in seen.values())
    assert result.figures[0].met is not None and "invoices" in result.figures[0].label
    # Put back.
    assert not BillingRun.objects.exists() and not Invoice.objects.exists()
    assert not InvoiceLine.objects.exists()
    assert set(NumberSequence.objects.values_list("last_number", flat=True)) <= {0}
    assert not Activity.objects.exclude(billing_mode=BillingMode.PREPAID).exists()
    assert billing_run.SCENARIO in SCENARIOS


def test_the_two_runs_take_a_third_of_the_schools_then_the_rest():
    sites = [factories.site() for _ in range(4)]
    alae = [
        factories.activity(site, kind=Activity.Kind.ALAE, name=f"ALAE {n} {i}")
        for i, site in enumerate(sites)
        for n in ("matin", "soir")
    ]
    first, rest = billing_run.school_parts([a.pk for a in alae])
    assert first == [a.pk for a in alae[:2]]  # one school of four (a third, at least one)
    assert rest == [a.pk for a in alae[2:]]
    assert billing_run.school_parts([alae[0].pk, alae[1].pk]) == [[alae[0].pk, alae[1].pk]]
