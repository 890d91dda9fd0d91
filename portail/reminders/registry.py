"""The reminder kinds: each is a small function finding what is due now, registered here.

A kind says what it is called (`code`, stored; `label` and `help_text` for the guardian's
preferences page) and how to find its notices at an instant (`find(now)`). Each Notice
names the household, the thing it is about (`key`, unique within the kind: the same key is
never sent twice to a guardian) and how to write the message (`write()`, called once per
guardian in their language). `still_due()` is asked again just before sending, under the
claim (a basket paid meanwhile is not reminded).

Adding a kind (e.g. the waiting list's `offer_expiring`) is one module that calls
`register(ReminderKind(...))` at import, imported from its app's `AppConfig.ready()` (an app
above `reminders`), or from `portail/reminders/kinds/__init__.py` (an app below it): the
command sends it and the preferences page offers to turn it off, with no other change.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from portail.reminders.models import KEY_MAX_LENGTH, KIND_MAX_LENGTH

Writer = Callable[[], tuple[str, str]]


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Notice:
    household_id: int
    key: str
    write: Writer  # (subject, body) in the active language
    still_due: Callable[[], bool] = field(default=_always)

    def __post_init__(self) -> None:
        if not self.key or len(self.key) > KEY_MAX_LENGTH:
            raise ValueError(f"a reminder's key is 1 to {KEY_MAX_LENGTH} characters: {self.key!r}")


@dataclass(frozen=True)
class ReminderKind:
    code: str
    label: str  # lazy: the checkbox on the preferences page
    help_text: str  # lazy: what it reminds, and when
    find: Callable[[datetime.datetime], Iterable[Notice]]
    order: int = 100  # the preferences page's order (and the command's), then by code


_KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    if not kind.code or len(kind.code) > KIND_MAX_LENGTH:
        raise ValueError(f"a reminder's code is 1 to {KIND_MAX_LENGTH} characters")
    if kind.code in _KINDS and _KINDS[kind.code] is not kind:
        raise ValueError(f"reminder kind {kind.code!r} is already registered")
    _KINDS[kind.code] = kind
    return kind


def kinds() -> list[ReminderKind]:
    """Every registered kind, by `order` then code."""
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.code))


def get(code: str) -> ReminderKind | None:
    return _KINDS.get(code)


def rendered(template: str, context: dict) -> Writer:
    """A writer rendering `<template>_subject.txt` and `<template>_body.txt`."""

    def write() -> tuple[str, str]:
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
        return subject, body.strip() + "\n"

    return write
