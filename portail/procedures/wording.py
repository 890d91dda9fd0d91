"""A request's data in words: the one place that labels each data key and words each value.

The data is what procedures.forms.validate kept (the API's keys, dates as ISO text, ids of
children, activities and sites). The family's request page, the staff's request page and
the family's forms read their labels here; both request pages draw `readable_data()` with
the same template (procedures/_data_items.html), in the reader's language:

- a date as the language's short date (dd/mm/yyyy), yes/no, a school year as 2026-2027;
- a child by first and last name, an activity with its site, the sites wished as numbered
  choices;
- a list (guardians, children, persons allowed to pick up) as a group of rows, each row a
  group of labelled values (a child's row titled with the child's name).

Read only: an id that no longer names a row is shown as such, never an error; data that is
not a dict (an old or hand-edited row) reads as nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.activities.models import Activity
from portail.core.models import Site
from portail.procedures.models import Request

# Every data key's label: the forms' labels and the request pages'.
LABELS = {
    "service": gettext_lazy("Service concerned"),
    "subject": gettext_lazy("Subject"),
    "message": gettext_lazy("Message"),
    "line": gettext_lazy("New address (number and street)"),
    "postal_code": gettext_lazy("Postal code"),
    "city": gettext_lazy("City"),
    "effective_on": gettext_lazy("Applies from"),
    "quotient": gettext_lazy("Quotient familial"),
    "valid_from": gettext_lazy("Valid from"),
    "valid_to": gettext_lazy("Valid until"),
    "child_id": gettext_lazy("Child"),
    "activity_id": gettext_lazy("Activity"),
    "school_year": gettext_lazy("School year"),
    "guardians": gettext_lazy("Guardians"),
    "name": gettext_lazy("Full name"),
    "phone": gettext_lazy("Phone"),
    "email": gettext_lazy("E-mail"),
    "children": gettext_lazy("Children"),
    "allergies": gettext_lazy("Allergies"),
    "pai": gettext_lazy("PAI (individual care plan)"),
    "doctor": gettext_lazy("Doctor"),
    "pickup_persons": gettext_lazy("Persons allowed to pick up the children"),
    "relationship": gettext_lazy("Relationship to the child"),
    "image_rights": gettext_lazy(
        "I consent to my children being photographed or filmed (image rights)"
    ),
    "child_first_name": gettext_lazy("Child's first name"),
    "child_last_name": gettext_lazy("Child's last name"),
    "birth_date": gettext_lazy("Birth date (child already born)"),
    "expected_on": gettext_lazy("Expected birth date (child not born yet)"),
    "start_on": gettext_lazy("Desired start date"),
    "days_per_week": gettext_lazy("Days per week"),
    "hours_per_week": gettext_lazy("Hours per week"),
    "sites": gettext_lazy("Sites wished, in order of preference"),
}
# Keys are shown in the forms' order (LABELS'), whatever order the database kept them in
# (PostgreSQL's jsonb does not keep the order they were written in).
_ORDER = {key: index for index, key in enumerate(LABELS)}


def _in_order(data: dict) -> list:
    return sorted(data.items(), key=lambda item: (_ORDER.get(item[0], len(_ORDER)), item[0]))


DATE_KEYS = {"effective_on", "valid_from", "valid_to", "birth_date", "expected_on", "start_on"}


def label(key: str) -> str:
    return str(LABELS.get(key, key))


@dataclass
class Item:
    """A labelled value, or a group of items (a list in the data)."""

    label: str
    value: str = ""
    items: list["Item"] = field(default_factory=list)


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _date(value) -> str:
    try:
        return date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    except (TypeError, ValueError):
        return str(value)


def _unknown(kind: str, pk) -> str:
    return _("%(kind)s no. %(id)s (no longer exists)") % {"kind": kind, "id": pk}


class _Names:
    """Children, activities and sites the data names, each kind read once (at most one
    query per kind, none when the data names none)."""

    def __init__(self, request: Request, data: dict) -> None:
        child_ids = {data.get("child_id")} | {
            row.get("child_id") for row in data.get("children") or [] if isinstance(row, dict)
        }
        child_ids = {pk for pk in child_ids if isinstance(pk, int)}
        self.children = (
            {
                c.pk: f"{c.first_name} {c.last_name}"
                for c in request.household.children.filter(pk__in=child_ids)
            }
            if child_ids
            else {}
        )
        activity_id = data.get("activity_id")
        self.activities = (
            {
                a.pk: f"{a.name} ({a.site.name})"
                for a in Activity.objects.filter(pk=activity_id).select_related("site")
            }
            if isinstance(activity_id, int)
            else {}
        )
        sites = [pk for pk in data.get("sites") or [] if isinstance(pk, int)]
        self.sites = (
            dict(Site.objects.filter(pk__in=sites).values_list("pk", "name")) if sites else {}
        )

    def child(self, pk) -> str:
        return self.children.get(pk) or _unknown(_("Child"), pk)

    def activity(self, pk) -> str:
        return self.activities.get(pk) or _unknown(_("Activity"), pk)

    def site(self, pk) -> str:
        return self.sites.get(pk) or _unknown(_("Site"), pk)


def _value(key: str, value, names: _Names) -> str:
    if value is None or value == "":
        return "–"
    if key in DATE_KEYS:
        return _date(value)
    if isinstance(value, bool):
        return _yes_no(value)
    if key == "school_year" and isinstance(value, int):
        return f"{value}-{value + 1}"
    if key == "child_id":
        return names.child(value)
    if key == "activity_id":
        return names.activity(value)
    return str(value)


def _rows(key: str, rows: list, names: _Names) -> Item:
    group = Item(label(key), "" if rows else _("None"))
    for number, row in enumerate(rows, start=1):
        row = row if isinstance(row, dict) else {}
        title = f"{number}."
        if key == "children":
            title = names.child(row.get("child_id"))
        group.items.append(
            Item(
                title,
                "",
                [
                    Item(label(k), _value(k, v, names))
                    for k, v in _in_order(row)
                    if not (key == "children" and k == "child_id")
                ],
            )
        )
    return group


def readable_data(request: Request) -> list[Item]:
    """The request's data as labelled items, in the order of the forms."""
    data = request.data if isinstance(request.data, dict) else {}
    names = _Names(request, data)
    items = []
    for key, value in _in_order(data):
        if key == "sites" and isinstance(value, list):
            choices = [
                Item(_("Choice %(number)d") % {"number": n}, names.site(pk))
                for n, pk in enumerate(value, start=1)
            ]
            items.append(Item(label(key), "" if choices else "–", choices))
        elif isinstance(value, list):
            items.append(_rows(key, value, names))
        else:
            items.append(Item(label(key), _value(key, value, names)))
    return items
