"""How long a request holds the sessions' row locks: from the statement that took them to
the end of its transaction's COMMIT.

Measured in this process through Django's test client (like profiling.py): every SQL
statement passes through a connection execute wrapper; once the statement that locks
session rows (`locked()` in core/locking.py: `FOR NO KEY UPDATE OF "activities_session"`
on PostgreSQL) has returned, the time is noted and a `transaction.on_commit()` callback
notes when the COMMIT is over. Other households asking for the same days wait for at
least that long: it bounds how many submissions per second one day's places can take.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.http import HttpResponse

SESSION_LOCK = 'FOR NO KEY UPDATE OF "activities_session"'


@dataclass
class Holds:
    """Each measured request: its duration, and how long it held the sessions' locks."""

    request_ms: list[float] = field(default_factory=list)
    held_ms: list[float] = field(default_factory=list)

    def text(self, label: str) -> str:
        if not self.held_ms:
            return f"`{label}` took no lock on session rows here (SQLite takes the database's)."
        held, total = statistics.median(self.held_ms), statistics.median(self.request_ms)
        return (
            f"`{label}` held the sessions' row locks for {held:.1f} ms (median of "
            f"{len(self.held_ms)}), from the statement that took them to the end of the "
            f"COMMIT, of {total:.1f} ms for the whole request in this process "
            f"({held / total:.0%}): a household asking for the same days waits that long "
            f"behind it, so one day's places take at most about {1000 / held:.0f} "
            "submissions per second, however many servers."
        )


def measure(
    send: Callable[[], HttpResponse], reset: Callable[[], HttpResponse], rounds: int
) -> Holds:
    """Run `send` then `reset` (which undoes it, unmeasured) `rounds` times."""
    holds = Holds()
    locked_at: list[float] = []

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if SESSION_LOCK in sql and not locked_at:
            locked_at.append(time.perf_counter())
            transaction.on_commit(
                lambda: holds.held_ms.append((time.perf_counter() - locked_at[0]) * 1000)
            )
        return result

    for _ in range(rounds):
        locked_at.clear()
        with connection.execute_wrapper(watch):
            start = time.perf_counter()
            send()
            holds.request_ms.append((time.perf_counter() - start) * 1000)
        reset()
    return holds
