"""Browser tests: Debian's Chromium, driven by Playwright, against a real server.

- Chromium is the distribution's (`apt-get install chromium`, done by `make test` as root),
  never a browser downloaded by Playwright: `executable_path` points at it. Without it the
  tests are skipped, and the end of the run says so in a loud block (never silently).
- The server is gunicorn on a copy of the demo commune (see server.py), on SQLite or on
  PostgreSQL as DATABASE_URL says.
- Screenshots, axe reports, the server log and its e-mails go to test-artifacts/browser/.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.server import ARTIFACTS, ROOT, DemoDatabases, Server, find_libfaketime

# Flags for a closed network: Chromium must not try its background connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_SKIPPED_BECAUSE: list[str] = []

# Without the test extras (playwright, axe-playwright-python) the test modules cannot even
# be imported: leave them out, and say so loudly at the end of the run.
try:
    import axe_playwright_python  # noqa: F401
    import playwright.sync_api  # noqa: F401
except ImportError as missing:
    collect_ignore_glob = ["test_*.py"]
    _SKIPPED_BECAUSE.append(
        f"{missing.name} is not installed: run `make install-test` (pyproject's test extras)."
    )


def find_chromium() -> str | None:
    """Debian's Chromium: CHROMIUM_PATH when set (and only it), else `chromium` on PATH,
    else /usr/bin/chromium."""
    if "CHROMIUM_PATH" in os.environ:
        candidates = [os.environ["CHROMIUM_PATH"]]
    else:
        candidates = [shutil.which("chromium") or "", "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _chromium_missing() -> str:
    if "CHROMIUM_PATH" in os.environ:
        return f"CHROMIUM_PATH={os.environ['CHROMIUM_PATH']} is not an executable file."
    return (
        "No Chromium found (no `chromium` on PATH, no /usr/bin/chromium): install Debian's "
        "with `apt-get install chromium` (make test does it when run as root)."
    )


def _skip_loudly(reason: str) -> None:
    if reason not in _SKIPPED_BECAUSE:
        _SKIPPED_BECAUSE.append(reason)
    pytest.skip(reason)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    """Say in a block of its own that the browser tests did not run, and why."""
    if not _SKIPPED_BECAUSE:
        return
    terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
    for reason in _SKIPPED_BECAUSE:
        terminalreporter.write_line(f"  {reason}", red=True, bold=True)
    terminalreporter.write_line(
        "  The journey in a real browser, keyboard and phone checks and the axe-core "
        "accessibility checks were NOT run.",
        red=True,
        bold=True,
    )
    terminalreporter.write_sep("!", red=True, bold=True)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        _skip_loudly(_chromium_missing())
    if find_libfaketime() is None:
        _skip_loudly(
            "No libfaketime found: the test server runs at the suite's clock with it; install "
            "Debian's with `apt-get install faketime` (make test does it when run as root)."
        )
    return path


@pytest.fixture(scope="session")
def playwright_api():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as api:
        yield api


@pytest.fixture(scope="session")
def browser(playwright_api, chromium_path):
    """One Chromium for the session (Playwright gives each launch a fresh profile)."""
    chromium = playwright_api.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


def _compile_messages_if_stale() -> None:
    """The pages are checked in French: compile the catalogues if `make test` did not."""
    locale = ROOT / "portail" / "locale"
    stale = [
        po
        for po in locale.glob("*/LC_MESSAGES/django.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale and shutil.which("msgfmt"):
        subprocess.run(
            [str(Path(sys.executable).parent / "portail"), "compilemessages", "-v0"],
            cwd=ROOT / "portail",
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="session")
def demo_databases(chromium_path, playwright_api) -> Iterator[DemoDatabases]:
    """The demo commune, migrated and loaded once; each journey gets a copy."""
    _compile_messages_if_stale()
    databases = DemoDatabases(os.environ.get("DATABASE_URL"))
    try:
        databases.prepare_template()
        yield databases
    finally:
        databases.drop_all()


@pytest.fixture
def portal(demo_databases: DemoDatabases, request) -> Iterator[Server]:
    """A running server on a fresh copy of the demo commune, for one test."""
    artifacts = ARTIFACTS / "servers" / re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name)
    server = Server(demo_databases.copy(), artifacts)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        demo_databases.drop(server.database_url)
    errors = server.errors_in_log()
    assert not errors, "The server logged errors:\n" + "\n".join(errors) + server.log_tail()
