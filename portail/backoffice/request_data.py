"""A request's data as staff read it: labelled lines, in the staff's language.

The data is what procedures.forms.validate kept (the API's keys, dates as ISO text, ids of
children, activities and sites); here each key gets its label and each value its words
(a date as dd/mm/yyyy, yes/no, a child's or an activity's name). Read only; an id that no
longer names a row is shown as such, never an error.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portail.activities.models import Activity
from portail.core.models import Site
from portail.procedures.models import Request

LABELS = {
    # contact
    "service": gettext_lazy("Service"),
    "subject": gettext_lazy("Subject"),
    "message": gettext_lazy("Message"),
    # address_change
    "line": gettext_lazy("Address"),
    "postal_code": gettext_lazy("Postal code"),
    "city": gettext_lazy("City"),
    "effective_on": gettext_lazy("Moving in on"),
    # qf_declaration
    "quotient": gettext_lazy("Quotient familial"),
    "valid_from": gettext_lazy("From"),
    "valid_to": gettext_lazy("Until"),
    # enrolment
    "child_id": gettext_lazy("Child"),
    "activity_id": gettext_lazy("Activity"),
    # family_file
    "school_year": gettext_lazy("School year"),
    "guardians": gettext_lazy("Guardian"),
    "children": gettext_lazy("Child"),
    "pickup_persons": gettext_lazy("Person allowed to pick the children up"),
    "image_rights": gettext_lazy("Image rights consent"),
    # early_childhood
    "child_first_name": gettext_lazy("Child's first name"),
    "child_last_name": gettext_lazy("Child's last name"),
    "birth_date": gettext_lazy("Birth date"),
    "expected_on": gettext_lazy("Expected birth date"),
    "start_on": gettext_lazy("Desired start date"),
    "days_per_week": gettext_lazy("Days per week"),
    "hours_per_week": gettext_lazy("Hours per week"),
    "sites": gettext_lazy("Sites wished, in order"),
}
DATE_KEYS = {"effective_on", "valid_from", "valid_to", "birth_date", "expected_on", "start_on"}


def _yes_no(value) -> str:
    return _("Yes") if value else _("No")


def _date(value) -> str:
    try:
        return date_format(datetime.date.fromisoformat(value), "d/m/Y")
    except (TypeError, ValueError):
        return str(value)


def _unknown(kind: str, pk) -> str:
    return _("%(kind)s no. %(id)s (no longer exists)") % {"kind": kind, "id": pk}


class _Names:
    """Children, activities and sites the data names, each kind read once."""

    def __init__(self, request: Request, data: dict) -> None:
        child_ids = {data.get("child_id")} | {
            c.get("child_id") for c in data.get("children") or [] if isinstance(c, dict)
        }
        child_ids = {pk for pk in child_ids if isinstance(pk, int)}
        self.children = (
            {c.pk: f"{c.first_name} {c.last_name}" for c in request.household.children.all()}
            if child_ids
            else {}
        )
        activity_id = data.get("activity_id")
        self.activities = (
            dict(Activity.objects.filter(pk=activity_id).values_list("pk", "name"))
            if isinstance(activity_id, int)
            else {}
        )
        sites = [pk for pk in data.get("sites") or [] if isinstance(pk, int)]
        self.sites = (
            dict(Site.objects.filter(pk__in=sites).values_list("pk", "name")) if sites else {}
        )

    def child(self, pk) -> str:
        return self.children.get(pk) or _unknown(_("Child"), pk)


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
        return names.activities.get(value) or _unknown(_("Activity"), value)
    if key == "sites" and isinstance(value, list):
        return ", ".join(
            f"{n}. {names.sites.get(pk) or _unknown(_('Site'), pk)}"
            for n, pk in enumerate(value, start=1)
        )
    return str(value)


def _person(item: dict) -> str:
    parts = [item.get("name") or "", item.get("phone") or "", item.get("email") or ""]
    text = ", ".join(p for p in parts if p)
    if item.get("relationship"):
        text += f" ({item['relationship']})"
    return text or "–"


def _child_health(item: dict, names: _Names) -> tuple[str, str]:
    label = _("Child: %(name)s") % {"name": names.child(item.get("child_id"))}
    details = [
        _("allergies: %(text)s") % {"text": item.get("allergies") or "–"},
        _("PAI: %(answer)s") % {"answer": _yes_no(item.get("pai"))},
        _("doctor: %(text)s") % {"text": item.get("doctor") or "–"},
    ]
    return label, "; ".join(details)


def readable_data(request: Request) -> list[tuple[str, str]]:
    """(label, value) lines of the request's data, in the order the family filled them."""
    data = request.data if isinstance(request.data, dict) else {}
    names = _Names(request, data)
    lines: list[tuple[str, str]] = []
    for key, value in data.items():
        label = str(LABELS.get(key, key))
        if key in ("guardians", "pickup_persons") and isinstance(value, list):
            if not value:
                lines.append((label, "–"))
            for n, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    lines.append((f"{label} {n}", _person(item)))
        elif key == "children" and isinstance(value, list):
            lines.extend(_child_health(item, names) for item in value if isinstance(item, dict))
        else:
            lines.append((label, _value(key, value, names)))
    return lines
