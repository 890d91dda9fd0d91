"""The measured scenarios, in the order they run.

To add one: write bench/scenarios/<name>.py with a function `run(ctx: Context) -> Result`
and a `SCENARIO = Scenario("<name>", "<title>", run)`, then add it to SCENARIOS below.
It gets the options, the generated city and the running server (see base.Context), and
returns figures for the summary table (with an aim when there is one) and Markdown
details. "memory" stays last: it reports the peak over everything before it.
"""

from bench.scenarios import (
    bare,
    basket,
    billing_run,
    floor,
    headcounts,
    invoices_page,
    memory,
    opening,
    planning,
    recap_pdf,
    typical_week,
)
from bench.scenarios.base import Context, Figure, Result, Scenario

SCENARIOS: list[Scenario] = [
    floor.SCENARIO,
    bare.SCENARIO,
    planning.PAGE,
    planning.API,
    basket.SCENARIO,
    typical_week.SCENARIO,
    recap_pdf.SCENARIO,
    headcounts.SCENARIO,
    billing_run.SCENARIO,
    invoices_page.SCENARIO,
    opening.SCENARIO,
    memory.SCENARIO,
]

__all__ = ["SCENARIOS", "Context", "Figure", "Result", "Scenario"]
