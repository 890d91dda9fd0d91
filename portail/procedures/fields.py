"""Reading a request's data: one error per field, in the reader's language.

A Reader takes the data a family sent (JSON from the API, or a page's form turned into
the same keys) and returns the cleaned values, JSON-ready (dates as ISO strings). Every
problem is collected under the field's name ("guardians.0.phone" inside lists), and
finish() raises one RequestRefused("invalid_request", fields=...) listing them all.
Keys a procedure does not know are refused. A draft (partial) may leave fields out: only
what is given is checked; at submission everything is.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portail.procedures.statuses import RequestRefused

MISSING = object()
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INT_RE = re.compile(r"^-?[0-9]{1,9}$")
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2099, 12, 31)
# Ids of rows (a list of sites): within the database's integer, never an overflow.
MAX_ID = 2**31 - 1


def required_message() -> str:
    return _("This field is required.")


class Reader:
    def __init__(self, data, *, partial: bool = False, prefix: str = ""):
        self.partial = partial
        self.prefix = prefix
        self.errors: dict[str, str] = {}
        self.cleaned: dict = {}
        self.data = data if isinstance(data, dict) else {}
        self.known: set[str] = set()
        if not isinstance(data, dict):
            self.errors[prefix.rstrip(".") or "data"] = _("Expected an object.")

    # -- helpers -----------------------------------------------------------------------
    def error(self, key: str, message: str) -> None:
        self.errors.setdefault(f"{self.prefix}{key}", message)

    def has_error(self, key: str) -> bool:
        return f"{self.prefix}{key}" in self.errors

    def _raw(self, key: str, required: bool):
        self.known.add(key)
        value = self.data.get(key, MISSING)
        if value is None or value is MISSING or (isinstance(value, str) and not value.strip()):
            if required and not self.partial:
                self.error(key, required_message())
            return MISSING
        return value

    def _keep(self, key: str, value):
        self.cleaned[key] = value
        return value

    # -- readers -----------------------------------------------------------------------
    def text(
        self,
        key: str,
        max_length: int,
        *,
        required: bool = True,
        pattern=None,
        pattern_message: str = "",
    ) -> str | None:
        value = self._raw(key, required)
        if value is MISSING:
            if not required and isinstance(self.data.get(key), str):
                self._keep(key, "")  # an optional field left empty stays empty
            return None
        if not isinstance(value, str):
            self.error(key, _("Expected text."))
            return None
        value = value.strip()
        if len(value) > max_length:
            self.error(
                key,
                _("At most %(count)d characters (it has %(length)d).")
                % {"count": max_length, "length": len(value)},
            )
            return None
        if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
            self.error(key, _("This text contains characters that are not allowed."))
            return None
        if pattern is not None and not pattern.match(value):
            self.error(key, pattern_message)
            return None
        return self._keep(key, value)

    def email(self, key: str, *, required: bool = True) -> str | None:
        value = self.text(key, 254, required=required)
        if value is None:
            return None
        try:
            validate_email(value)
        except ValidationError:
            self.cleaned.pop(key, None)
            self.error(key, _("Enter a valid e-mail address."))
            return None
        return value

    def integer(self, key: str, minimum: int, maximum: int, *, required: bool = True) -> int | None:
        value = self._raw(key, required)
        if value is MISSING:
            return None
        if isinstance(value, str) and INT_RE.match(value.strip()):
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, _("Expected a whole number."))
            return None
        if not minimum <= value <= maximum:
            self.error(
                key,
                _("Expected a number from %(minimum)d to %(maximum)d.")
                % {"minimum": minimum, "maximum": maximum},
            )
            return None
        return self._keep(key, value)

    def boolean(self, key: str, *, required: bool = True) -> bool | None:
        value = self.data.get(key, MISSING)
        self.known.add(key)
        if value is MISSING or value is None:
            if required and not self.partial:
                self.error(key, _("Answer yes or no."))
            return None
        if not isinstance(value, bool):
            self.error(key, _("Answer yes or no."))
            return None
        return self._keep(key, value)

    def date(
        self,
        key: str,
        *,
        required: bool = True,
        minimum: datetime.date = FIRST_DAY,
        maximum: datetime.date = LAST_DAY,
    ) -> datetime.date | None:
        value = self._raw(key, required)
        if value is MISSING:
            return None
        day = None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            day = value
        elif isinstance(value, str) and DATE_RE.match(value.strip()):
            try:
                day = datetime.date.fromisoformat(value.strip())
            except ValueError:
                day = None
        if day is None:
            self.error(key, _("Expected a date such as 2026-09-01."))
            return None
        if not minimum <= day <= maximum:
            self.error(
                key,
                _("Expected a date from %(first)s to %(last)s.")
                % {"first": minimum.isoformat(), "last": maximum.isoformat()},
            )
            return None
        self._keep(key, day.isoformat())
        return day

    def objects(self, key: str, read_one, *, minimum: int, maximum: int) -> list[dict]:
        """A list of objects, each read by read_one(sub_reader)."""
        self.known.add(key)
        value = self.data.get(key, MISSING)
        if value is MISSING or value is None:
            value = []
            if minimum and not self.partial:
                self.error(key, required_message())
                return []
        if not isinstance(value, list):
            self.error(key, _("Expected a list."))
            return []
        if len(value) > maximum or (len(value) < minimum and not self.partial):
            self.error(
                key,
                _("Expected from %(minimum)d to %(maximum)d items.")
                % {"minimum": minimum, "maximum": maximum},
            )
            return []
        items = []
        for index, item in enumerate(value):
            sub = Reader(item, partial=self.partial, prefix=f"{self.prefix}{key}.{index}.")
            read_one(sub)
            sub.refuse_unknown()
            self.errors.update({k: v for k, v in sub.errors.items() if k not in self.errors})
            items.append(sub.cleaned)
        return self._keep(key, items)

    def integers(self, key: str, *, minimum: int, maximum: int) -> list[int]:
        """A list of distinct ids, in the order given."""
        self.known.add(key)
        value = self.data.get(key, MISSING)
        if value is MISSING or value is None or value == []:
            if minimum and not self.partial:
                self.error(key, required_message())
            return []
        if (
            not isinstance(value, list)
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)
            or any(not 1 <= v <= MAX_ID for v in value)
        ):
            self.error(key, _("Expected a list of identifiers."))
            return []
        if len(value) > maximum or len(set(value)) != len(value):
            self.error(
                key,
                _("Expected at most %(maximum)d different items.") % {"maximum": maximum},
            )
            return []
        return self._keep(key, list(value))

    # -- the end -----------------------------------------------------------------------
    def refuse_unknown(self) -> None:
        for key in self.data:
            if key not in self.known:
                self.error(str(key)[:100], _("Unknown field."))

    def finish(self) -> dict:
        self.refuse_unknown()
        if self.errors:
            raise RequestRefused(
                "invalid_request", _("Some fields are not valid."), dict(self.errors)
            )
        return self.cleaned
