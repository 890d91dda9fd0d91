"""The back office's forms: shape and types only; households.py checks the rules."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.activities.models import Activity
from portail.backoffice import booking, households
from portail.backoffice.dates import StaffDateField
from portail.billing import amounts, credits
from portail.billing.models import CounterMeans
from portail.core.money import format_cents
from portail.families.models import Child, Household


class AmountField(forms.CharField):
    """An amount of money typed in euros ("12", "12,50", "12.50"), cleaned to integer
    cents by billing.amounts.parse_amount_cents (the staff's one amount parser)."""

    def __init__(
        self, *, allow_negative: bool = False, max_cents: int = amounts.DEFAULT_MAX_CENTS, **kwargs
    ) -> None:
        self.allow_negative = allow_negative
        self.max_cents = max_cents
        kwargs.setdefault("max_length", amounts.MAX_LENGTH)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "size": "10"}

    def prepare_value(self, value):
        if isinstance(value, int):  # initial values in cents, shown without the sign
            return format_cents(value).replace("\u00a0", "").replace("€", "").strip()
        return value

    def clean(self, value) -> int | None:  # type: ignore[override]
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return amounts.parse_amount_cents(
                text, allow_negative=self.allow_negative, max_cents=self.max_cents
            )
        except amounts.AmountError as error:
            raise forms.ValidationError(error.message, code="invalid_amount") from None


class CentsField(forms.CharField):
    """Whole cents sent back by a page ("370"): ASCII digits only (billing.amounts)."""

    widget = forms.HiddenInput

    def clean(self, value) -> int:  # type: ignore[override]
        text = super().clean(value)
        try:
            return amounts.parse_cents(text)
        except amounts.AmountError as error:
            raise forms.ValidationError(error.message, code="invalid_amount") from None


def school_year(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """1 September to 31 August of the current school year (the default enrolment)."""
    today = today or timezone.localdate()
    start_year = today.year if today.month >= 9 else today.year - 1
    return datetime.date(start_year, 9, 1), datetime.date(start_year + 1, 8, 31)


def activity_label(activity: Activity) -> str:
    return f"{activity.site.name} – {activity.name}"


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return activity_label(obj)


class ActivitiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return activity_label(obj)


def activities_queryset():
    return Activity.objects.select_related("site").order_by("site__name", "start_time", "name")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name of the household or a child, or an e-mail address"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class HouseholdForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the household"),
        max_length=households.NAME_MAX_LENGTH,
        help_text=_("As the family is known to the service, e.g. MARTIN-DUPONT."),
    )
    valid_from = StaffDateField(label=_("Enrolments from"))
    valid_to = StaffDateField(label=_("Enrolments until"))

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of the period must not be before its start."))
        return cleaned


class GuardianForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=households.EMAIL_MAX_LENGTH)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)


class ChildForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=households.PERSON_NAME_MAX_LENGTH
    )
    last_name = forms.CharField(label=_("Last name"), max_length=households.PERSON_NAME_MAX_LENGTH)
    birth_date = StaffDateField(label=_("Birth date"))
    activities = ActivitiesField(
        label=_("Enrol in"),
        queryset=Activity.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For the period chosen above."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = activities_queryset()


class BaseRequiredFirstFormSet(forms.BaseFormSet):
    """The first form must be filled; the others are optional (left empty: ignored)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.forms:
            self.forms[0].empty_permitted = False
            self.forms[0].use_required_attribute = True


GuardianFormSet = forms.formset_factory(
    GuardianForm, formset=BaseRequiredFirstFormSet, extra=2, max_num=2, absolute_max=2
)
ChildFormSet = forms.formset_factory(ChildForm, extra=4, max_num=4, absolute_max=4)


class EnrolForm(forms.Form):
    child = forms.ModelChoiceField(label=_("Child"), queryset=Child.objects.none())
    activity = ActivityChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    valid_from = StaffDateField(label=_("From"))
    valid_to = StaffDateField(label=_("Until"))

    def __init__(self, household: Household, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = household.children.order_by("first_name", "pk")
        self.fields["child"].label_from_instance = lambda c: f"{c.first_name} {c.last_name}"
        self.fields["activity"].queryset = activities_queryset()
        if not self.is_bound:
            self.initial.setdefault("valid_from", max(timezone.localdate(), school_year()[0]))
            self.initial.setdefault("valid_to", school_year()[1])

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of the period must not be before its start."))
        return cleaned


class QuotientForm(forms.Form):
    quotient_familial = forms.IntegerField(
        label=_("Quotient familial"),
        min_value=0,
        max_value=households.QF_MAX,
        required=False,
        help_text=_("Leave empty when unknown: the highest price band applies."),
    )
    qf_valid_from = StaffDateField(
        label=_("Valid from"), required=False, help_text=_("Empty: from today.")
    )
    qf_valid_to = StaffDateField(label=_("Valid until"), required=False)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("qf_valid_from"), cleaned.get("qf_valid_to")
        if start and end and end < start:
            self.add_error("qf_valid_to", _("The end of the period must not be before its start."))
        return cleaned


class CreditForm(forms.Form):
    amount = AmountField(
        label=_("Amount in euros"),
        allow_negative=True,
        max_cents=households.ADJUSTMENT_MAX_CENTS,
        help_text=_("Positive to add credit, negative (e.g. -3,70) to take it back."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=credits.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the ledger, e.g. “Medical certificate for 12/01”."),
    )

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(_("The amount cannot be zero."))
        return amount


class BypassForm(forms.Form):
    """Passing the deadlines when booking for a family: always with a reason."""

    reason = forms.CharField(
        label=_("Reason for passing the deadlines"),
        max_length=booking.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required; kept in the staff's history."),
    )


class CounterPaymentForm(forms.Form):
    means = forms.ChoiceField(
        label=_("Means of payment"), choices=CounterMeans.choices, widget=forms.RadioSelect
    )
    reference = forms.CharField(
        label=_("Reference (cheque number, receipt)"),
        max_length=100,
        required=False,
    )
    expected_due_cents = CentsField()
