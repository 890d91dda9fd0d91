"""`python -m bench.compare BEFORE [AFTER]`: the bench of two commits, on one city, alternated.

Each commit is checked out in its own temporary git worktree and runs its own bench
(`python -m bench`, with this interpreter and `PYTHONPATH` set to its tree, so its code
and nothing else is measured). The city is generated once, by BEFORE's bench, in
`<database>_before`; `<database>_after` is a copy of it (`CREATE DATABASE … TEMPLATE`),
migrated by AFTER, so both run on the same rows. AFTER must descend from BEFORE (its
migrations apply on top). The runs alternate: before, after, before, after… Before each
run the driver waits (a bounded time) for the machine to be quiet, then vacuums and
analyses the run's database (autovacuum may be off) and reads it into memory
(`pg_prewarm`), so no run pays for another's dead rows or cold pages.

After each run, `bench/calls.py` measures the same requests in process on the same
household, in figures a busy machine does not change: SQL statements and Python function
calls (and the least CPU time over 10 runs).

Each run's report and log go to the output directory, with `summary.md`: every figure
of every run side by side, the change of the medians, the share of CPU other processes
took during each scenario (runs taken while it was high are not comparable), and the
in-process counts.
The worktrees are removed and both databases dropped at the end.

Options after `--` go to every bench run, e.g. `-- --duration 20`.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

from bench.__main__ import stop_on_sigterm
from bench.compare_report import summary
from bench.cpu import machine_jiffies
from bench.database import admin_url, database_name
from bench.options import DEFAULT_DATABASE_URL, REPO

SIDES = ("before", "after")


def say(message: str) -> None:
    print(message, flush=True)


def git(*args: str) -> str:
    return subprocess.run(  # noqa: S603 - git, our arguments
        ["git", *args],  # noqa: S607
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    p = argparse.ArgumentParser(
        prog="python -m bench.compare",
        description=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("before", help="the older commit")
    p.add_argument("after", nargs="?", default="HEAD", help="the newer commit (default: HEAD)")
    p.add_argument("--rounds", type=int, default=2, help="runs of each commit (default: 2)")
    p.add_argument("--scale", type=float, default=1.0, help="size of the city (default: 1)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    p.add_argument("--today", default=None, help="YYYY-MM-DD (default: today, Paris)")
    p.add_argument(
        "--scenarios", default=None, help="comma-separated (default: those both benches have)"
    )
    p.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="base name of the two databases (_before, _after are appended)",
    )
    p.add_argument(
        "--output", type=Path, default=None, help="directory (default: var/compare-<b>-<a>)"
    )
    p.add_argument(
        "--quiet",
        type=float,
        default=15,
        help="before each run, wait for the machine to be under this %% busy with other "
        "work (default: 15)",
    )
    p.add_argument(
        "--quiet-wait",
        type=float,
        default=300,
        help="seconds to wait for that at most, then run anyway (default: 300)",
    )
    args = p.parse_args(argv)
    if args.rounds < 1:
        p.error("--rounds must be at least 1")
    return args, extra


def side_url(base: str, side: str) -> str:
    return base.rsplit("/", 1)[0] + f"/{database_name(base)}_{side}"


def tree_env(tree: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(tree),
            "DJANGO_SETTINGS_MODULE": "portail.settings",
            "PORTAIL_ENV": "development",
            "DEBUG": "0",
            "DATABASE_URL": url,
        }
    )
    return env


def run_in(tree: Path, url: str, args: list[str], log: Path, *, echo: bool = True) -> int:
    """`python <args>` in a worktree; its output goes to `log` (and the tail to us)."""
    with log.open("w") as out:
        child = subprocess.Popen(  # noqa: S603 - our interpreter, our arguments
            [sys.executable, *args],
            cwd=tree,
            env=tree_env(tree, url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            returncode = child.wait()
        except BaseException:
            child.terminate()  # the bench stops its server on SIGTERM
            child.wait(timeout=90)
            raise
    lines = log.read_text(errors="replace").splitlines() if echo else []
    for line in lines[-3:] if returncode == 0 else lines[-30:]:
        say(f"    {line}")
    return returncode


def scenarios_of(tree: Path, url: str, out: Path) -> list[str]:
    log = out / f"help-{tree.name}.txt"
    run_in(tree, url, ["-m", "bench", "--help"], log, echo=False)
    text = " ".join(log.read_text().split())
    names = text.split("(choices: ", 1)[1].split(")", 1)[0]
    return [n.strip() for n in names.split(",") if n.strip()]


def admin(url: str, statement: sql.Composable) -> None:
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(statement)


def drop(url: str) -> None:
    name = sql.Identifier(database_name(url))
    admin(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def wait_quiet(busy: float, timeout: float) -> None:
    """Wait (up to `timeout` s) for a 5 s window in which the machine is under `busy`
    (0-1) busy: nothing of ours runs then, so that is other processes' share."""
    deadline = time.monotonic() + timeout
    while True:
        start = machine_jiffies()
        time.sleep(5)
        end = machine_jiffies()
        share = (end[0] - start[0]) / max(1, end[1] - start[1])
        if share < busy:
            return
        if time.monotonic() > deadline:
            say(f"    the machine is still {share:.0%} busy with other work; running anyway")
            return


def vacuum_and_prewarm(url: str) -> None:
    """VACUUM (ANALYZE) the whole database, then read every table and index into memory."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        conn.execute(
            "SELECT pg_prewarm(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'i', 't')"
            " ORDER BY pg_relation_size(c.oid) DESC"
        )


def main(argv: list[str] | None = None) -> int:
    args, extra = parse(sys.argv[1:] if argv is None else argv)
    stop_on_sigterm()  # then the worktrees are removed and the databases dropped too
    commits = {"before": git("rev-parse", "--short", args.before)}
    commits["after"] = git("rev-parse", "--short", args.after)
    ancestor = subprocess.run(  # noqa: S603
        ["git", "merge-base", "--is-ancestor", commits["before"], commits["after"]],  # noqa: S607
        cwd=REPO,
        check=False,
    )
    if ancestor.returncode != 0:
        say(f"{commits['after']} does not descend from {commits['before']}.")
        return 2
    out = (
        args.output or REPO / "var" / f"compare-{commits['before']}-{commits['after']}"
    ).resolve()
    out.mkdir(parents=True, exist_ok=True)
    urls = {side: side_url(args.database_url, side) for side in SIDES}
    base = Path(tempfile.mkdtemp(prefix="portail-compare-"))
    trees = {side: base / side for side in SIDES}
    common = ["--scale", f"{args.scale:g}", "--seed", str(args.seed)]
    if args.today:
        common += ["--today", args.today]
    started = time.monotonic()
    # Run from the output directory: the worktree's own bench answers its imports.
    shutil.copy(REPO / "bench" / "calls.py", out / "calls.py")
    try:
        for side in SIDES:
            git("worktree", "add", "--detach", str(trees[side]), commits[side])
            (trees[side] / "var").mkdir(exist_ok=True)  # older benches do not create it
        after_has = scenarios_of(trees["after"], urls["after"], out)
        both = [s for s in scenarios_of(trees["before"], urls["before"], out) if s in after_has]
        chosen = args.scenarios.split(",") if args.scenarios else both
        say(f"Scenarios: {', '.join(chosen)}")
        say(f"Generating the city with {commits['before']}'s bench…")
        generate = ["-m", "bench", *common, "--keep-db", "--database-url", urls["before"]]
        generate += ["--scenarios", "memory", "--output", str(out / "generate.md")]
        if run_in(trees["before"], urls["before"], generate, out / "generate.log"):
            return 1
        say(f"Copying it for {commits['after']} and migrating…")
        drop(urls["after"])
        admin(
            urls["after"],
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(database_name(urls["after"])),
                sql.Identifier(database_name(urls["before"])),
            ),
        )
        city = f"{database_name(urls['before'])}.city.json"
        shutil.copy(
            trees["before"] / "var" / city,
            trees["after"] / "var" / f"{database_name(urls['after'])}.city.json",
        )
        migrate = ["-m", "portail", "migrate", "--noinput"]
        if run_in(trees["after"], urls["after"], migrate, out / "migrate.log"):
            return 1
        failed = 0
        for n in range(1, args.rounds + 1):
            for side in SIDES:
                name = f"{side}-{n}"
                say(f"Round {n}, {side} ({commits[side]}): wait for quiet, vacuum, prewarm, bench…")
                wait_quiet(args.quiet / 100, args.quiet_wait)
                vacuum_and_prewarm(urls[side])
                bench = ["-m", "bench", *common, "--reuse-db", "--database-url", urls[side]]
                bench += ["--scenarios", ",".join(chosen), "--output", str(out / f"{name}.md")]
                failed |= run_in(trees[side], urls[side], [*bench, *extra], out / f"{name}.log")
                calls = [str(out / "calls.py"), urls[side], str(out / f"calls-{name}.json")]
                failed |= run_in(trees[side], urls[side], calls, out / f"calls-{name}.log")
        text = summary(out, commits, args.rounds)
        text += f"\nCommand: `.venv/bin/python -m bench.compare {' '.join(sys.argv[1:])}`; "
        text += f"{(time.monotonic() - started) / 60:.0f} minutes.\n"
        (out / "summary.md").write_text(text)
        say(text)
        say(f"Reports, logs and summary.md in {out}")
        return 1 if failed else 0
    finally:
        for side in SIDES:
            if trees[side].exists():
                subprocess.run(  # noqa: S603
                    ["git", "worktree", "remove", "--force", str(trees[side])],  # noqa: S607
                    cwd=REPO,
                    check=False,
                )
            drop(urls[side])
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
