"""The démarches' forms as the family's pages show them: fields, labels, rows, and the
translation between a page's POST and a request's data (the API's `data`).

No rule lives here: every field is an optional text field, so the form itself never
refuses anything; the page turns what was typed into the procedure's data
(`ProcedureForm.to_data()`), the services check it (forms.validate) and their
RequestRefused.fields come back onto the fields (`show_refusal`), in the user's language,
with what was typed kept. Nested lists (the family file's guardians, children and persons
allowed to pick up; the early childhood's sites wished in order) are a fixed number of
rows named `<list>-<index>-<field>` (`<list>.<index>.<field>` in the data and its errors).
"""

from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.activities.models import Activity
from portail.core.models import Site
from portail.families.models import FamilyFile, Household
from portail.procedures.models import Procedure, ProcedureCode
from portail.procedures.statuses import RequestRefused
from portail.procedures.wording import LABELS, label

GUARDIAN_ROWS = 4  # the family file's maximum
PICKUP_ROWS = 5  # more when the last accepted file had more (at most 10)
PICKUP_MAX = 10
SITE_CHOICES = 5

YES, NO = "yes", "no"

HELP = {
    "effective_on": _("The date you live at the new address."),
    "quotient": _("As written on your CAF certificate or computed from your tax notice."),
    "allergies": _("Leave empty if none."),
}


def yes_no(value) -> str:
    if value is True:
        return YES
    if value is False:
        return NO
    return ""


@dataclass
class Section:
    """A group of fields: a fieldset with its legend when `legend` is set. `key` is the
    data key whose errors belong to the whole group (a list: "guardians", "sites")."""

    legend: str | None
    names: list[str]
    key: str = ""
    rows: list["Section"] = field(default_factory=list)


def _text(**attrs) -> forms.CharField:
    return forms.CharField(required=False, widget=forms.TextInput(attrs=attrs))


def _date() -> forms.CharField:
    return forms.CharField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _number(minimum: int, maximum: int) -> forms.CharField:
    widget = forms.NumberInput(attrs={"min": minimum, "max": maximum, "step": 1})
    return forms.CharField(required=False, widget=widget)


def _select(choices) -> forms.CharField:
    return forms.CharField(
        required=False, widget=forms.Select(choices=[("", "---------"), *choices])
    )


def _yes_no() -> forms.CharField:
    return forms.CharField(
        required=False, widget=forms.RadioSelect(choices=[(YES, _("Yes")), (NO, _("No"))])
    )


class ProcedureForm(forms.Form):
    """The page's form of one procedure for one household."""

    def __init__(self, procedure: Procedure, household: Household, *args, **kwargs):
        self.procedure = procedure
        self.code = procedure.code
        self.household = household
        self.group_errors: dict[str, str] = {}
        self.other_errors: list[str] = []
        self.sections: list[Section] = []
        # For each list, the form's row of each item sent (empty rows are not sent).
        self.row_of: dict[str, list[int]] = {}
        self._children = list(household.children.order_by("first_name", "pk"))
        super().__init__(*args, **kwargs)
        getattr(self, f"_build_{self.code}")()

    # -- building ------------------------------------------------------------------------
    def _add(self, name: str, form_field: forms.Field, key: str | None = None) -> str:
        last = (key or name).rsplit("-", 1)[-1]
        form_field.label = label(last)
        if last in HELP:
            form_field.help_text = HELP[last]
        self.fields[name] = form_field
        return name

    def _plain(self, *pairs) -> None:
        self.sections.append(Section(None, [self._add(name, f) for name, f in pairs]))

    def _build_contact(self) -> None:
        self._plain(
            ("service", _text(maxlength=100)),
            ("subject", _text(maxlength=200)),
            ("message", forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}))),
        )

    def _build_address_change(self) -> None:
        self._plain(
            ("line", _text(maxlength=300, autocomplete="street-address")),
            ("postal_code", _text(maxlength=5, inputmode="numeric", autocomplete="postal-code")),
            ("city", _text(maxlength=100, autocomplete="address-level2")),
            ("effective_on", _date()),
        )

    def _build_qf_declaration(self) -> None:
        self._plain(
            ("quotient", _number(0, 99999)),
            ("valid_from", _date()),
            ("valid_to", _date()),
        )
        self.fields["valid_to"].help_text = _("Leave empty if it is valid until further notice.")

    def _build_enrolment(self) -> None:
        children = [(str(c.pk), f"{c.first_name} {c.last_name}") for c in self._children]
        activities = Activity.objects.select_related("site").order_by("site__name", "name", "pk")
        self._plain(
            ("child_id", _select(children)),
            (
                "activity_id",
                _select([(str(a.pk), f"{a.name} ({a.site.name})") for a in activities]),
            ),
            ("valid_from", _date()),
            ("valid_to", _date()),
        )

    def _build_family_file(self) -> None:
        year = timezone.localdate().year
        years = [(str(y), f"{y}-{y + 1}") for y in (year - 1, year, year + 1)]
        self._plain(("school_year", _select(years)))
        guardians = Section(_("Guardians"), [], key="guardians")
        for index in range(GUARDIAN_ROWS):
            names = [
                self._add(f"guardians-{index}-name", _text(maxlength=200)),
                self._add(f"guardians-{index}-phone", _text(maxlength=20, type="tel")),
                self._add(f"guardians-{index}-email", _text(maxlength=254, type="email")),
            ]
            legend = _("Guardian %(number)d") % {"number": index + 1}
            guardians.rows.append(Section(legend, names, key=f"guardians.{index}"))
        children = Section(_("Children's health"), [], key="children")
        for index, child in enumerate(self._children[:12]):
            names = [
                self._add(
                    f"children-{index}-child_id",
                    forms.CharField(required=False, widget=forms.HiddenInput),
                ),
                self._add(f"children-{index}-allergies", _text(maxlength=1000)),
                self._add(f"children-{index}-pai", _yes_no()),
                self._add(f"children-{index}-doctor", _text(maxlength=200)),
            ]
            self.fields[names[0]].initial = str(child.pk)
            legend = f"{child.first_name} {child.last_name}"
            children.rows.append(Section(legend, names, key=f"children.{index}"))
        rows = max(PICKUP_ROWS, len(self.initial.get("_pickup_rows", [])))
        pickup = Section(LABELS["pickup_persons"], [], key="pickup_persons")
        for index in range(min(rows, PICKUP_MAX)):
            names = [
                self._add(f"pickup_persons-{index}-name", _text(maxlength=200)),
                self._add(f"pickup_persons-{index}-phone", _text(maxlength=20, type="tel")),
                self._add(f"pickup_persons-{index}-relationship", _text(maxlength=100)),
            ]
            legend = _("Person %(number)d") % {"number": index + 1}
            pickup.rows.append(Section(legend, names, key=f"pickup_persons.{index}"))
        self.sections += [guardians, children, pickup]
        self._plain(("image_rights", _yes_no()))

    def _build_early_childhood(self) -> None:
        self._plain(
            ("child_first_name", _text(maxlength=100)),
            ("child_last_name", _text(maxlength=100)),
            ("birth_date", _date()),
            ("expected_on", _date()),
            ("start_on", _date()),
            ("days_per_week", _number(1, 5)),
            ("hours_per_week", _number(1, 60)),
        )
        sites = [(str(s.pk), s.name) for s in Site.objects.order_by("name", "pk")]
        names = []
        for index in range(SITE_CHOICES):
            name = self._add(f"sites-{index}", _select(sites))
            self.fields[name].label = _("Choice %(number)d") % {"number": index + 1}
            names.append(name)
        self.sections.append(Section(LABELS["sites"], names, key="sites"))

    # -- from the page to the data -------------------------------------------------------
    def _value(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "").strip()

    def _rows(self, key: str, names: tuple[str, ...], *, booleans=(), keep_empty=False):
        rows = []
        self.row_of[key] = []
        index = 0
        while f"{key}-{index}-{names[0]}" in self.fields:
            row = {}
            for name in names:
                value = self._value(f"{key}-{index}-{name}")
                row[name] = _boolean(value) if name in booleans else value
            if keep_empty or any(v not in ("", None) for v in row.values()):
                rows.append(row)
                self.row_of[key].append(index)
            index += 1
        return rows

    def _form_key(self, key: str) -> str:
        """A data key of an error ("guardians.1.phone") as the form's row says it."""
        parts = key.split(".")
        if len(parts) >= 2 and parts[1].isdigit() and parts[0] in self.row_of:
            rows = self.row_of[parts[0]]
            if int(parts[1]) < len(rows):
                parts[1] = str(rows[int(parts[1])])
        return ".".join(parts)

    def to_data(self) -> dict:
        """The procedure's data from what was typed (call after is_valid())."""
        if self.code == ProcedureCode.FAMILY_FILE:
            return {
                "school_year": self._value("school_year"),
                "guardians": self._rows("guardians", ("name", "phone", "email")),
                "children": self._rows(
                    "children", ("child_id", "allergies", "pai", "doctor"), booleans=("pai",)
                ),
                "pickup_persons": self._rows("pickup_persons", ("name", "phone", "relationship")),
                "image_rights": _boolean(self._value("image_rights")),
            }
        data = {name: self._value(name) for name in self.fields if "-" not in name}
        if self.code == ProcedureCode.EARLY_CHILDHOOD:
            chosen = [self._value(f"sites-{i}") for i in range(SITE_CHOICES)]
            data["sites"] = [int(v) if v.isdigit() else v for v in chosen if v]
        return data

    # -- the services' answer back on the fields -----------------------------------------
    def show_refusal(self, refused: RequestRefused) -> None:
        """Each of the refusal's field errors on its field (or its group), the rest above."""
        groups = {s.key for s in self.sections if s.key} | {
            row.key for s in self.sections for row in s.rows
        }
        if not refused.fields:
            self.other_errors.append(refused.message)
        for key, message in refused.fields.items():
            key = self._form_key(key)
            name = key.replace(".", "-")
            if name in self.fields and not self.fields[name].widget.is_hidden:
                self.add_error(name, message)
            elif key in groups:
                self.group_errors.setdefault(key, message)
            else:
                self.other_errors.append(f"{_readable_key(key)}: {message}")

    def layout(self) -> list[dict]:
        """The sections with their bound fields and group errors, for the template."""
        return [self._group(section) for section in self.sections]

    def _group(self, section: Section) -> dict:
        key = section.key
        return {
            "legend": section.legend,
            "fields": [self[name] for name in section.names],
            "error": self.group_errors.get(key, "") if key else "",
            "error_id": "error-" + key.replace(".", "-") if key else "",
            "rows": [self._group(row) for row in section.rows],
        }

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.group_errors or self.other_errors)


def _boolean(value: str):
    return {YES: True, NO: False}.get(value)


def _readable_key(key: str) -> str:
    parts = key.split(".")
    return " – ".join(label(p) if not p.isdigit() else str(int(p) + 1) for p in parts)


# -- the data back into the page's fields ---------------------------------------------------


def initial_from_data(code: str, data: dict) -> dict:
    """The form's values from a request's (or a prefill's) data."""
    initial: dict = {}
    for key, value in (data or {}).items():
        if isinstance(value, list) and key == "sites":
            for index, site in enumerate(value[:SITE_CHOICES]):
                initial[f"sites-{index}"] = str(site)
        elif isinstance(value, list):
            if key == "pickup_persons":
                initial["_pickup_rows"] = value
            for index, row in enumerate(value):
                for name, item in (row if isinstance(row, dict) else {}).items():
                    item = yes_no(item) if isinstance(item, bool) else item
                    initial[f"{key}-{index}-{name}"] = "" if item is None else str(item)
        elif isinstance(value, bool):
            initial[key] = yes_no(value)
        else:
            initial[key] = "" if value is None else str(value)
    return initial


def family_file_prefill(household: Household) -> dict:
    """The family file as the household stands: its guardians, its children (with the
    last accepted file's health information), and the last file's persons and consent."""
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    last = FamilyFile.objects.filter(household=household).order_by("-school_year_start").first()
    previous = last.data if last and isinstance(last.data, dict) else {}
    by_child = {
        row.get("child_id"): row for row in previous.get("children", []) if isinstance(row, dict)
    }
    guardians = household.guardians.select_related("user").order_by("pk")[:GUARDIAN_ROWS]
    data = {
        "school_year": year,
        "guardians": [
            {
                "name": g.user.get_full_name(),
                "phone": g.phone or household.phone,
                "email": g.user.email,
            }
            for g in guardians
        ],
        "children": [],
        "pickup_persons": [
            row for row in previous.get("pickup_persons", []) if isinstance(row, dict)
        ][:PICKUP_MAX],
    }
    for child in household.children.order_by("first_name", "pk"):
        before = by_child.get(child.pk, {})
        data["children"].append(
            {
                "child_id": child.pk,
                "allergies": before.get("allergies", ""),
                "pai": before.get("pai", child.has_pai),
                "doctor": before.get("doctor", ""),
            }
        )
    if isinstance(previous.get("image_rights"), bool):
        data["image_rights"] = previous["image_rights"]
    return data


CHILD_FIELDS = ("child_id", "allergies", "pai", "doctor")


def _initial(procedure: Procedure, household: Household, data: dict | None) -> dict:
    """initial_from_data, with the family file's children rows in the household's order
    (one row per child, whatever the data's order; a row of another child is dropped)."""
    initial = initial_from_data(procedure.code, data or {})
    if procedure.code != ProcedureCode.FAMILY_FILE:
        return initial
    rows = {}
    index = 0
    while f"children-{index}-child_id" in initial:
        row = {name: initial.pop(f"children-{index}-{name}", "") for name in CHILD_FIELDS}
        rows[row["child_id"]] = row
        index += 1
    for index, child in enumerate(household.children.order_by("first_name", "pk")):
        row = rows.get(str(child.pk), {})
        for name in CHILD_FIELDS:
            initial[f"children-{index}-{name}"] = row.get(name, "")
        initial[f"children-{index}-child_id"] = str(child.pk)
    return initial


def form_for(procedure: Procedure, household: Household, data: dict | None = None, post=None):
    """The procedure's form: bound to the page's POST, else filled from `data`."""
    initial = _initial(procedure, household, data)
    if post is not None:
        form = ProcedureForm(procedure, household, post, initial=initial)
    else:
        form = ProcedureForm(procedure, household, initial=initial)
    return form


def bound_to_data(procedure: Procedure, household: Household, data: dict) -> ProcedureForm:
    """A form bound to a request's data, to show a refusal on its fields (after is_valid)."""
    initial = _initial(procedure, household, data)
    values = {k: v for k, v in initial.items() if not k.startswith("_")}
    form = ProcedureForm(procedure, household, values, initial=initial)
    form.is_valid()
    form.to_data()  # which row each item of the lists is on
    return form
