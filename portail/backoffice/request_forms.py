"""Forms of the staff's requests pages (inbox filters, actions on a request) and of the
procedures' settings: shape and types only; procedures.services (and
backoffice.procedure_settings) check the rules, e.g. that a refusal has a reason."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portail.backoffice import requests as inbox
from portail.procedures.models import ProcedureCode, RequestStatus
from portail.procedures.services import MESSAGE_MAX

OLDER_THAN_MAX = 3650


def _status_choices():
    return [
        ("", _("Needing action (submitted, being processed, waiting list, to be completed)")),
        (inbox.ALL, _("Every status")),
        *[(value, label) for value, label in RequestStatus.choices if value != RequestStatus.DRAFT],
    ]


class InboxFilterForm(forms.Form):
    """Which requests the inbox shows (GET; every field optional)."""

    procedure = forms.ChoiceField(
        label=_("Procedure"),
        choices=[("", _("Every procedure")), *ProcedureCode.choices],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=_status_choices, required=False)
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        choices=[
            ("", _("Anyone or nobody")),
            (inbox.ME, _("Me")),
            (inbox.NOBODY, pgettext_lazy("assigned to", "Nobody")),
        ],
        required=False,
    )
    older_than = forms.IntegerField(
        label=_("Submitted at least … days ago"),
        min_value=0,
        max_value=OLDER_THAN_MAX,
        required=False,
    )

    def filters(self) -> inbox.Filters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return inbox.Filters(
            procedure=data.get("procedure") or "",
            status=data.get("status") or "",
            assigned=data.get("assigned") or "",
            older_than=data.get("older_than"),
        )


def _text(label, *, rows: int = 3) -> forms.CharField:
    """A message: its presence is the service's rule (a clear message when missing)."""
    return forms.CharField(
        label=label,
        max_length=MESSAGE_MAX,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class TakeForm(forms.Form):
    """Start processing (no field)."""


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=pgettext_lazy("assigned to", "Nobody"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = inbox.assignable_staff()
        self.fields["assignee"].label_from_instance = inbox.staff_name


class MessageForm(forms.Form):
    message = _text(_("Message to the family (required; it is e-mailed)"))


class AskMoreForm(forms.Form):
    message = _text(_("What the family must complete or send (required)"))


class AcceptForm(forms.Form):
    message = _text(_("Message to the family (optional)"), rows=2)


class RefuseForm(forms.Form):
    reason = _text(_("Reason for the refusal (required; the family reads it)"))


class WaitingListForm(forms.Form):
    message = _text(_("Message to the family (optional)"), rows=2)


# action (the form's hidden "action" value) -> its form; the prefix is the action.
ACTION_FORMS: dict[str, type[forms.Form]] = {
    "take": TakeForm,
    "assign": AssignForm,
    "message": MessageForm,
    "ask_more": AskMoreForm,
    "accept": AcceptForm,
    "refuse": RefuseForm,
    "waiting_list": WaitingListForm,
}


class ProcedureSettingsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Help text shown to families above the form"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    is_open = forms.BooleanField(label=_("Open: families can start this procedure"), required=False)
    required_documents = forms.CharField(
        label=_("Documents required"),
        help_text=_("One document per line, e.g. “Proof of address less than 3 months old”."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
