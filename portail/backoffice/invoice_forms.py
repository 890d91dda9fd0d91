"""Forms of the staff's invoice pages: shape and types only; billing.invoicing.settling
checks the rules (an amount within what is left to pay, a reason for a credit note...)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portail.backoffice.dates import StaffDateField
from portail.backoffice.forms import AmountField
from portail.backoffice.invoices import OVERDUE
from portail.billing.invoicing import settling
from portail.billing.models import COUNTER_METHODS, InvoicePaymentMethod, InvoiceStatus

SEARCH_MAX_LENGTH = 100
# Ids beyond this are no row's (and a database refuses integers that large).
MAX_ID = 2**31 - 1
REFERENCE_MAX_LENGTH = settling.REFERENCE_MAX_LENGTH
REASON_MAX_LENGTH = settling.REASON_MAX_LENGTH


class InvoiceFilterForm(forms.Form):
    """Which invoices the list shows (GET; every field optional)."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("All invoices")),
            *InvoiceStatus.choices,
            (OVERDUE, _("Overdue (unpaid after the due date)")),
        ],
        required=False,
    )
    q = forms.CharField(
        label=_("Household, child, e-mail or number"),
        max_length=SEARCH_MAX_LENGTH,
        required=False,
    )
    household = forms.IntegerField(
        label=_("Household number"),
        min_value=1,
        max_value=MAX_ID,
        required=False,
        widget=forms.HiddenInput,
    )
    start = StaffDateField(label=_("Issued from"), required=False)
    end = StaffDateField(label=_("to"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class CounterPaymentForm(forms.Form):
    """Money received at the counter for one invoice."""

    amount = AmountField(label=_("Amount in euros"))
    method = forms.ChoiceField(
        label=_("Means of payment"),
        choices=[
            (value, label)
            for value, label in InvoicePaymentMethod.choices
            if value in COUNTER_METHODS
        ],
    )
    reference = forms.CharField(
        label=_("Reference (cheque number, CESU numbers, transfer...)"),
        max_length=REFERENCE_MAX_LENGTH,
        required=False,
    )

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class CreditNoteForm(forms.Form):
    """An avoir sur facture: cancels all or part of the invoice, with its reason."""

    amount = AmountField(label=_("Amount to cancel, in euros"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required; shown on the credit note, e.g. “Day billed twice: 12/10”."),
        error_messages={"required": _("Give the reason of the credit note.")},
    )

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount
