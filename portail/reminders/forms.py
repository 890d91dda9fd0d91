from django import forms
from django.utils.translation import gettext_lazy as _

from portail.reminders import registry


class PreferencesForm(forms.Form):
    """One checkbox per reminder kind: checked, the guardian gets it."""

    kinds = forms.MultipleChoiceField(
        label=_("The reminders I get by e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Unknown reminder: nothing was changed."),
            "invalid_list": _("Unknown reminder: nothing was changed."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(kind.code, kind.label) for kind in registry.kinds()]
