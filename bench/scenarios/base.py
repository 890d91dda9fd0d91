"""What a scenario is, what it gets, and what it gives back."""

import datetime
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from bench.city import BENCH_PASSWORD, CityReport
from bench.httpclient import HttpClient, Response
from bench.options import Options
from bench.server import Server
from bench.stats import Latency
from portail.accounts.models import User
from portail.api.tokens import issue_token
from portail.families.models import Guardian

T = TypeVar("T")

LOGIN_PATH = "/compte/connexion/"
TOKEN_PATH = "/api/v1/auth/token"


@dataclass
class Figure:
    """One line of the report's "figures vs aims" table."""

    label: str
    value: str
    aim: str = ""
    met: bool | None = None


@dataclass
class Result:
    figures: list[Figure] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # Markdown paragraphs or tables


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str
    run: Callable[["Context"], Result]


@dataclass(frozen=True)
class Identity:
    """A household and one of its guardians, and how they are signed in."""

    household_id: int
    email: str
    cookies: dict[str, str] | None = None
    token: str | None = None


@dataclass
class Context:
    """Everything a scenario may use: the options, the city, the running server."""

    options: Options
    city: CityReport
    server: Server
    rng: random.Random
    _reported: set[str] = field(default_factory=set)

    def new_server_errors(self, limit: int = 3) -> list[str]:
        """Tracebacks the server logged since the last call (project frames), at most `limit`."""
        fresh = [tb for tb in self.server.tracebacks() if tb not in self._reported]
        self._reported.update(fresh)
        return [summarize_traceback(tb) for tb in fresh[:limit]]

    def client(self, identity: Identity | None = None) -> HttpClient:
        client = self.server.client()
        if identity is not None:
            client.cookies = dict(identity.cookies or {})
            client.token = identity.token
        return client

    def sign_in(self, households: Sequence[tuple[int, str]], *, api: bool) -> list[Identity]:
        """Sign these (household id, e-mail) in through the real login form, or get tokens."""

        def one(item: tuple[int, str]) -> Identity:
            household_id, email = item
            with self.server.client() as client:
                if api:
                    client.obtain_token(TOKEN_PATH, email, BENCH_PASSWORD)
                    return Identity(household_id, email, token=client.token)
                client.login_with_form(LOGIN_PATH, email, BENCH_PASSWORD)
                return Identity(household_id, email, cookies=dict(client.cookies))

        workers = max(2, self.server.workers * 2)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, households))


def first_guardians() -> dict[int, tuple[int, str]]:
    """Each household's first guardian: household id -> (user id, e-mail)."""
    first: dict[int, tuple[int, str]] = {}
    rows = Guardian.objects.order_by("household_id", "pk").values_list(
        "household_id", "user_id", "user__email"
    )
    for household_id, user_id, email in rows:
        first.setdefault(household_id, (user_id, email))
    return first


def with_tokens(
    household_ids: Sequence[int], guardians: dict[int, tuple[int, str]]
) -> list[Identity]:
    """An Identity with a fresh API token for each household, issued in this process
    (`issue_token`, what `POST /api/v1/auth/token` does once the password is checked):
    thousands of logins would measure password hashing, not the scenario."""
    users = User.objects.in_bulk([guardians[h][0] for h in household_ids])
    return [
        Identity(h, guardians[h][1], token=issue_token(users[guardians[h][0]]))
        for h in household_ids
    ]


def summarize_traceback(text: str, fallback_lines: int = 14) -> str:
    """The project's own frames (file line and source line) and the exception line."""
    lines = text.splitlines()
    kept = [lines[0]]
    for i, line in enumerate(lines[1:-1], start=1):
        if line.strip().startswith("File ") and "/portail/" in line and "/.venv/" not in line:
            kept.append(line)
            if i + 1 < len(lines) - 1 and not lines[i + 1].strip().startswith("File "):
                kept.append(lines[i + 1])
    if len(kept) == 1:
        return "\n".join(lines[-fallback_lines:])
    return "\n".join([*kept, "  …", lines[-1]])


@dataclass
class LoadResult:
    latencies: list[float]  # successful requests only, seconds
    statuses: Counter
    errors: Counter  # exceptions by type name
    elapsed: float
    attempted: int

    @property
    def ok(self) -> int:
        return len(self.latencies)

    @property
    def latency(self) -> Latency:
        return Latency.of(self.latencies)

    @property
    def per_second(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def failures_text(self, expected: tuple[int, ...] = ()) -> str:
        """Answers other than 2xx (or than the `expected` statuses), and exceptions."""
        bad = {
            str(k): v
            for k, v in self.statuses.items()
            if not (200 <= int(k) < 300 or int(k) in expected)
        }
        bad.update(self.errors)
        return ", ".join(f"{k}: {v}" for k, v in sorted(bad.items())) or "none"


def run_load(
    tasks: Sequence[T],
    send: Callable[[HttpClient, T], Response],
    *,
    make_client: Callable[[], HttpClient],
    concurrency: int,
    time_limit: float,
    ok: Callable[[Response], bool] = lambda r: r.status == 200,
) -> LoadResult:
    """Send `tasks` with `concurrency` threads (one keep-alive connection each).

    Stops early when `time_limit` seconds have passed; tasks not sent are not counted."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: Counter = Counter()
    lock = threading.Lock()
    queue = list(reversed(tasks))
    started = time.perf_counter()
    deadline = started + time_limit
    attempted = 0

    def worker() -> None:
        nonlocal attempted
        with make_client() as client:
            while time.perf_counter() < deadline:
                with lock:
                    if not queue:
                        return
                    task = queue.pop()
                    attempted += 1
                try:
                    resp = send(client, task)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    with lock:
                        errors[type(exc).__name__] += 1
                    client.close()
                    continue
                with lock:
                    statuses[resp.status] += 1
                    if ok(resp):
                        latencies.append(resp.seconds)

    threads = [threading.Thread(target=worker) for _ in range(max(1, concurrency))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(latencies, statuses, errors, time.perf_counter() - started, attempted)


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def school_weeks(city: CityReport) -> list[str]:
    """Every ISO week of the school year."""
    weeks = []
    day = city.year_start - datetime.timedelta(days=city.year_start.weekday())
    while day <= city.year_end:
        weeks.append(iso_week(day))
        day += datetime.timedelta(days=7)
    return weeks


def aim_text(value: Any, unit: str, below: bool) -> str:
    return f"{'<' if below else '≥'} {value} {unit}"
