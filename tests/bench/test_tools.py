"""The bench's own tools: percentiles, options, the report file, traceback summaries."""

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bench import report
from bench.cpu import CpuWatch, machine_jiffies, process_jiffies
from bench.options import parse
from bench.scenarios.base import LoadResult, summarize_traceback
from bench.stats import Latency, percentile

NAMES = ["planning_page", "planning_api", "basket", "memory"]
REPO = Path(__file__).resolve().parents[2]


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.95) == 95
    assert percentile([7.0], 0.95) == 7.0
    lat = Latency.of([0.010, 0.020, 0.030])
    assert (lat.count, lat.median_ms, lat.max_ms) == (3, 20.0, 30.0)


def test_options_default_to_the_full_city_and_the_docs_report():
    options = parse([], NAMES)
    assert options.full_city and options.scenarios == tuple(NAMES)
    assert options.output == REPO / "docs" / "benchmarks.md"
    small = parse(["--scale", "0.05", "--scenarios", "basket,memory"], NAMES)
    assert small.scenarios == ("basket", "memory")
    assert small.output == REPO / "var" / "benchmarks-scale-0.05.md"
    assert parse(["--reuse-db"], NAMES).keep_db


@pytest.mark.parametrize(
    "argv",
    [["--scenarios", "nope"], ["--scale", "0"], ["--clients", "0"], ["--duration", "9999"]],
)
def test_options_refuse_bad_values(argv):
    with pytest.raises(SystemExit):
        parse(argv, NAMES)


def test_report_keeps_the_hand_written_part_above_the_marker(tmp_path):
    path = tmp_path / "benchmarks.md"
    report.write(path, "first figures\n")
    text = path.read_text()
    assert text.startswith("# Benchmarks") and report.MARKER in text
    path.write_text(text.replace("# Benchmarks", "# Benchmarks (edited by hand)"))
    report.write(path, "second figures\n")
    text = path.read_text()
    assert "edited by hand" in text
    assert "second figures" in text and "first figures" not in text


def test_traceback_summary_keeps_the_project_frames():
    tb = "\n".join(
        [
            "Traceback (most recent call last):",
            '  File "/work/main/.venv/lib/python3.11/site-packages/django/x.py", line 1, in f',
            "    g()",
            '  File "/work/main/portail/reservations/basket.py", line 9, in drop_basket',
            "    history.record()",
            "psycopg.errors.DeadlockDetected: deadlock detected",
        ]
    )
    summary = summarize_traceback(tb)
    assert "portail/reservations/basket.py" in summary and "history.record()" in summary
    assert "site-packages" not in summary
    assert summary.endswith("DeadlockDetected: deadlock detected")


def test_help_lists_the_options_and_scenarios():
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "--scale" in done.stdout and "planning_page" in done.stdout


def test_cpu_watch_splits_the_machine_time_between_us_and_others():
    busy, total = machine_jiffies()
    assert 0 <= busy <= total
    assert process_jiffies(os.getpid()) >= 0
    assert process_jiffies(2**22 + 12345) is None  # no such process
    watch = CpuWatch(lambda: [])
    watch.start()
    assert watch.stop() is None  # too short to say anything
    watch.start()
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        sum(i * i for i in range(10_000))  # CPU work of our own
    machine, others = watch.stop()
    assert 0 <= others <= machine <= 1


def test_failures_text_leaves_out_the_expected_statuses():
    load = LoadResult([0.01], Counter({200: 1, 404: 3, 500: 1}), Counter({"TimeoutError": 2}), 1, 7)
    assert load.failures_text() == "404: 3, 500: 1, TimeoutError: 2"
    assert load.failures_text(expected=(404,)) == "500: 1, TimeoutError: 2"
    assert LoadResult([0.01], Counter({200: 1}), Counter(), 1, 1).failures_text() == "none"
