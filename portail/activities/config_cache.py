"""The tariffs and booking windows kept in each process's memory, checked against the
database on every use at no extra statement.

Pricing a week and judging a basket read every tariff (with its bands) and every booking
window still to come: two statements per request for tables that change a few times a
year. Each process keeps them in memory with the configuration stamp they were read
under (activities.models.ConfigStamp, changed by database triggers on every write to
those tables, whatever wrote it). A request reads the current stamp as one more column of
a query it makes anyway (`stamp_column()`, on its sessions' query) and uses the memory
only when the stamps are equal; otherwise it reads the tables again and keeps them.

Safe with many processes and machines: the database stays the only truth, and a process
never uses what it read under another stamp. The stamp is read before the tables, so
what is kept under a stamp is never older than that stamp (at worst newer, and then the
next request's stamp differs and reads again). No stamp (the row gone, a query that
returned no row) means no memory: the tables are read.
"""

import secrets
import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections
from django.db.models import Subquery

from portail.activities.models import ConfigStamp

T = TypeVar("T")

# name -> (stamp, value). One tuple replaced at once: threads read a consistent pair.
_kept: dict[str, tuple[str, object]] = {}
_lock = threading.Lock()


def stamp_column() -> Subquery:
    """The current stamp, as a column to annotate a query the request makes anyway."""
    return Subquery(ConfigStamp.objects.filter(pk=1).values("value")[:1])


def current_stamp() -> str | None:
    """The current stamp on its own (one statement): for callers with no query to carry it
    (the tests, to see the triggers at work)."""
    return ConfigStamp.objects.filter(pk=1).values_list("value", flat=True).first()


def ensure_stamp(using: str = "default", **_signal: object) -> None:
    """Create the stamp's row if it is missing (after `flush`), with a new random value:
    never one a process may have kept something under. Nothing before the table exists
    (a migrate stopped at an earlier migration)."""
    if ConfigStamp._meta.db_table not in connections[using].introspection.table_names():
        return
    ConfigStamp.objects.using(using).get_or_create(pk=1, defaults={"value": secrets.token_hex(16)})


def kept(name: str, stamp: str | None, read: Callable[[], T]) -> T:
    """`read()`'s value as kept under `stamp`, reading (and keeping) it when the stamp
    differs. The value is shared by every request of the process: never change it."""
    if stamp is None:
        return read()
    found = _kept.get(name)
    if found is not None and found[0] == stamp:
        return found[1]  # type: ignore[return-value]
    value = read()
    with _lock:
        _kept[name] = (stamp, value)
    return value


def latest(name: str) -> object | None:
    """The value last kept under `name`, whatever stamp it was kept under (None when nothing
    is kept): a hint, possibly out of date, for a caller that needs no query and checks
    again under the current stamp later (draws.settle_due(known_only=True))."""
    found = _kept.get(name)
    return None if found is None else found[1]


def forget() -> None:
    """Drop everything kept (tests that compare a read with a kept value)."""
    with _lock:
        _kept.clear()
