"""Reading fields of a JSON body (or a query string), strictly.

Each reader returns the value with its Python type or raises
ApiError(422, "invalid_field", <translated message naming the field>, field=<name>):

    child_id = read_int(request.data, "child_id", min_value=1)
    week = read_iso_week(request.GET, "week")                # "2026-W49" -> Monday date
    note = optional(read_str, request.data, "note", default="", max_length=200)
    for line in read_list(request.data, "lines", of=read_object, max_length=200):
        day = read_date(line, "date")                         # error names "lines[0].date"

No coercion: "3" is not an integer, 1 is not true (3.0 is an integer, as in JSON
Schema). A missing key and null are both "missing": required by default; wrap the
reader in `optional(...)` to accept them.
Query strings hold only strings: read_str, read_date, read_iso_week, read_choice work on
request.GET; integers belong in the URL path (`<int:child_id>`).
"""

import datetime
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from portail.api.http import ApiError

T = TypeVar("T")
D = TypeVar("D")

# ASCII digits only (\d would take any script's), matched whole (fullmatch: no newline).
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ISO_WEEK_RE = re.compile(r"([0-9]{4})-W([0-9]{2})")


class Fields(dict[str, Any]):
    """A JSON object found inside the body, remembering where (for error messages)."""

    def __init__(self, data: Mapping[str, Any], path: str = "") -> None:
        super().__init__(data)
        self.path = path


def field_name(data: Mapping[str, Any], name: str) -> str:
    return getattr(data, "path", "") + name


def invalid(data: Mapping[str, Any], name: str, message: str, **params: Any) -> ApiError:
    """The error for field `name` of `data`; `message` may use %(field)s and `params`."""
    field = field_name(data, name)
    return ApiError(422, "invalid_field", message % {"field": field, **params}, field=field)


def _present(data: Mapping[str, Any], name: str) -> Any:
    value = data.get(name)
    if value is None:
        raise invalid(data, name, _("The field “%(field)s” is required."))
    return value


def optional(
    reader: Callable[..., T],
    data: Mapping[str, Any],
    name: str,
    default: D = None,  # type: ignore[assignment]
    **options: Any,
) -> T | D:
    """`reader(data, name, **options)`, or `default` when the field is missing or null."""
    if data.get(name) is None:
        return default
    return reader(data, name, **options)


def read_int(
    data: Mapping[str, Any],
    name: str,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
) -> int:
    value = _present(data, name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 3.0 is an integer for JSON Schema, so for us too
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(data, name, _("The field “%(field)s” must be an integer."))
    if min_value is not None and value < min_value:
        raise invalid(
            data,
            name,
            _("The field “%(field)s” must be at least %(min)s."),
            min=str(min_value),
        )
    if max_value is not None and value > max_value:
        raise invalid(
            data,
            name,
            _("The field “%(field)s” must be at most %(max)s."),
            max=str(max_value),
        )
    return value


def read_str(
    data: Mapping[str, Any],
    name: str,
    *,
    max_length: int | None = None,
    allow_blank: bool = False,
    strip: bool = True,
) -> str:
    """A string, stripped of surrounding spaces unless strip=False (e.g. passwords).

    `max_length` counts the characters as sent (as the document's maxLength does);
    openapi.text() is this reader's schema."""
    value = _present(data, name)
    if not isinstance(value, str):
        raise invalid(data, name, _("The field “%(field)s” must be a string."))
    if "\x00" in value:  # PostgreSQL cannot store it; no one types it
        raise invalid(data, name, _("The field “%(field)s” contains a forbidden character."))
    if max_length is not None and len(value) > max_length:
        raise invalid(
            data,
            name,
            _("The field “%(field)s” must have at most %(max)s characters."),
            max=str(max_length),
        )
    if strip:
        value = value.strip()
    if not value and not allow_blank:
        raise invalid(data, name, _("The field “%(field)s” must not be empty."))
    return value


def read_bool(data: Mapping[str, Any], name: str) -> bool:
    value = _present(data, name)
    if not isinstance(value, bool):
        raise invalid(data, name, _("The field “%(field)s” must be true or false."))
    return value


def read_choice(data: Mapping[str, Any], name: str, choices: Collection[str]) -> str:
    """One of `choices` (exact strings, e.g. ("book", "cancel"))."""
    value = _present(data, name)
    if not isinstance(value, str) or value not in choices:
        raise invalid(
            data,
            name,
            _("The field “%(field)s” must be one of: %(choices)s."),
            choices=", ".join(choices),
        )
    return value


def read_date(data: Mapping[str, Any], name: str) -> datetime.date:
    """A calendar date written YYYY-MM-DD (nothing else: no time, no week date)."""
    value = _present(data, name)
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise invalid(data, name, _("The field “%(field)s” must be a date written YYYY-MM-DD."))


def read_iso_week(data: Mapping[str, Any], name: str) -> datetime.date:
    """An ISO week written like 2026-W49; returns its Monday."""
    value = _present(data, name)
    match = ISO_WEEK_RE.fullmatch(value) if isinstance(value, str) else None
    if match:
        try:
            return datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass  # week 00, or 53 in a year that has 52
    raise invalid(data, name, _("The field “%(field)s” must be an ISO week written like 2026-W49."))


def read_object(data: Mapping[str, Any], name: str) -> Fields:
    """A JSON object; fields read from it are named "name.field" in errors."""
    value = _present(data, name)
    if not isinstance(value, dict):
        raise invalid(data, name, _("The field “%(field)s” must be an object."))
    return Fields(value, path=field_name(data, name) + ".")


def read_list(
    data: Mapping[str, Any],
    name: str,
    *,
    of: Callable[[Mapping[str, Any], str], T] | None = None,
    min_length: int = 0,
    max_length: int | None = None,
) -> list[Any]:
    """A JSON array; with `of` (another reader), each item is read by it.

    `read_list(data, "days", of=read_date)` -> list of dates; an error names "days[2]".
    Options for the items: `of=functools.partial(read_int, min_value=1)`.
    """
    value = _present(data, name)
    if not isinstance(value, list):
        raise invalid(data, name, _("The field “%(field)s” must be a list."))
    if len(value) < min_length:
        raise invalid(
            data,
            name,
            _("The field “%(field)s” must have at least %(min)s items."),
            min=str(min_length),
        )
    if max_length is not None and len(value) > max_length:
        raise invalid(
            data,
            name,
            _("The field “%(field)s” must have at most %(max)s items."),
            max=str(max_length),
        )
    if of is None:
        return value
    prefix = field_name(data, name)
    items = []
    for index, item in enumerate(value):
        label = f"{prefix}[{index}]"
        items.append(of(Fields({label: item}), label))
    return items
