"""The side-by-side summary of `python -m bench.compare`, read from the runs' reports."""

import json
import re
import statistics
from pathlib import Path

NUMBER = re.compile(r"-?\d[\d ]*(?:\.\d+)?")
ALONE = re.compile(
    r"^- `(.+?)` alone uses ([\d.]+) ms of CPU: ([\d.]+) ms in Django and the project, "
    r"([\d.]+) ms in PostgreSQL"
)
STATEMENTS = re.compile(r"^- `(.+?)`: ([\d.]+) SQL statements")
ROUND = re.compile(r"^- Each round: ([\d.]+) ms alone")
CPU = re.compile(r"^CPU during this scenario: the machine was (\d+)% busy, (\d+)% by other")


def _stable(label: str) -> str:
    """A label without what changes from run to run (the day's bookings grow)."""
    return re.sub(r"\d[\d ]* bookings", "… bookings", label)


def read(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(figures, CPU taken by other processes per scenario) of one run's report."""
    figures: dict[str, str] = {}
    others: dict[str, str] = {}
    section = ""
    in_table = False
    for line in path.read_text().splitlines():
        if line.startswith("### "):
            section = line[4:].split(":")[0]
            in_table = section == "Figures vs aims"
            continue
        if in_table and line.startswith("| ") and not line.startswith("| Measure"):
            label, value = line[2:].split(" | ")[:2]
            if not label.startswith("Data generation"):
                figures[_stable(label)] = value
        elif m := CPU.match(line):
            others[section] = f"{m[2]} % ({m[1]} % busy)"
        elif m := ALONE.match(line):
            figures[f"{section}, in process: `{m[1]}`, CPU"] = f"{m[2]} ms"
            figures[f"{section}, in process: `{m[1]}`, CPU in Django"] = f"{m[3]} ms"
            figures[f"{section}, in process: `{m[1]}`, CPU in PostgreSQL"] = f"{m[4]} ms"
        elif m := STATEMENTS.match(line):
            figures[f"{section}, in process: `{m[1]}`, SQL statements"] = m[2]
        elif m := ROUND.match(line):
            figures[f"{section}, in process: one round, wall clock"] = f"{m[1]} ms"
    return figures, others


def number(value: str) -> float | None:
    m = NUMBER.search(value)
    return float(m[0].replace(" ", "")) if m else None


def _change(before: list[str], after: list[str]) -> tuple[str, str]:
    b = [x for x in map(number, before) if x is not None]
    a = [x for x in map(number, after) if x is not None]
    if not a or not b:
        return "—", "—"
    mb, ma = statistics.median(b), statistics.median(a)
    change = f"{(ma - mb) / mb:+.0%}" if mb else "—"
    if max(a) < min(b):
        where = "lower"
    elif min(a) > max(b):
        where = "higher"
    else:
        where = "overlap"
    return change, where


def summary(out: Path, commits: dict[str, str], rounds: int) -> str:
    runs = [f"{side}-{n}" for n in range(1, rounds + 1) for side in ("before", "after")]
    read_runs = {run: read(out / f"{run}.md") for run in runs if (out / f"{run}.md").exists()}
    labels: list[str] = []
    for figures, _ in read_runs.values():
        labels += [label for label in figures if label not in labels]
    b, a = commits["before"], commits["after"]
    lines = [
        f"Before: {b}; after: {a}. Runs in this order: {', '.join(runs)}.",
        "",
        f"| Measure | {b} (before), each run | {a} (after), each run | Change of the medians "
        "| Ranges |",
        "|---|---|---|---|---|",
    ]
    for label in labels:
        values = {
            side: [
                read_runs[run][0].get(label, "—")
                for run in runs
                if run.startswith(side)
                if run in read_runs
            ]
            for side in ("before", "after")
        }
        change, where = _change(values["before"], values["after"])
        lines.append(
            f"| {label} | {' · '.join(values['before'])} | {' · '.join(values['after'])} "
            f"| {change} | {where} |"
        )
    sections: list[str] = []
    for _, others in read_runs.values():
        sections += [s for s in others if s not in sections]
    lines += [
        "",
        "CPU taken by other processes than the bench, its server and its database sessions:",
        "",
        "| Scenario | " + " | ".join(runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for section in sections:
        cells = [read_runs[run][1].get(section, "—") if run in read_runs else "—" for run in runs]
        lines.append(f"| {section} | " + " | ".join(cells) + " |")
    lines += _calls(out, runs, b, a)
    return "\n".join(lines) + "\n"


def _calls(out: Path, runs: list[str], b: str, a: str) -> list[str]:
    """The in-process counts of bench/calls.py, side by side."""
    found = {
        run: json.loads(p.read_text()) for run in runs if (p := out / f"calls-{run}.json").exists()
    }
    if not found:
        return []
    labels: list[str] = []
    for result in found.values():
        labels += [label for label in result if label not in labels]

    def cells(side: str, label: str, key: str, fmt: str) -> str:
        values = [
            format(result[label][key], fmt)
            for run, result in found.items()
            if run.startswith(side) and label in result
        ]
        return (
            " · ".join(dict.fromkeys(values))
            if key in ("sql", "python_calls")
            else " · ".join(values)
        )

    lines = [
        "",
        "The same requests in process, on the same household (bench/calls.py): SQL statements "
        "and Python function calls do not depend on the machine's load; CPU is the least "
        "seen over 10 runs in this process, and PostgreSQL's backend CPU their mean.",
        "",
        f"| Request | SQL {b} | SQL {a} | Python calls {b} | Python calls {a} "
        f"| CPU {b} (ms) | CPU {a} (ms) | PostgreSQL CPU {b} | PostgreSQL CPU {a} |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    columns = [("sql", "d"), ("python_calls", "d"), ("cpu_ms", ".1f"), ("db_cpu_ms", ".1f")]
    for label in labels:
        row = [cells(side, label, key, fmt) for key, fmt in columns for side in ("before", "after")]
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    return lines
