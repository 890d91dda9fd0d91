"""Forms of the day-to-day pages (head counts, attendance, sessions, payments): shape and
types only; the services (headcounts, attendance, sessions, regie) check the rules."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.backoffice import sessions
from portail.backoffice.dates import StaffDateField
from portail.billing.models import PaymentState
from portail.core.models import Site


class DayForm(forms.Form):
    """Which days and sites a page shows (GET; every field optional)."""

    PERIODS = [("day", _("Day")), ("week", _("Week")), ("month", _("Month"))]

    date = StaffDateField(label=_("Date"), required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=Site.objects.none(), required=False, empty_label=_("All sites")
    )

    def __init__(
        self, data=None, *, sites: QuerySet[Site], periods: tuple[str, ...] = ("day", "week")
    ) -> None:
        super().__init__(data)
        self.fields["site"].queryset = sites.order_by("name")
        self.fields["period"].choices = [c for c in self.PERIODS if c[0] in periods]

    @property
    def has_errors(self) -> bool:
        """True when the query was refused (the page then answers 400 with the errors)."""
        return self.is_bound and bool(self.errors)

    def chosen(self) -> tuple[datetime.date, str, Site | None]:
        """(date, period, site) from valid data, defaults otherwise (today, day, all)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return (
            data.get("date") or timezone.localdate(),
            data.get("period") or "day",
            data.get("site"),
        )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity (places)"), min_value=0, max_value=sessions.MAX_CAPACITY
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"),
        max_length=sessions.REASON_MAX_LENGTH,
        help_text=_("Told to the families in the e-mail and shown in their planning."),
    )
    # Closing cancels and credits every booking of the day: asked for in so many words (a
    # box to tick works without JavaScript).
    confirm = forms.BooleanField(
        label=_("I confirm: close this day, cancel its bookings and credit the families."),
        error_messages={"required": _("Tick the box to confirm that the day is to be closed.")},
    )


class PaymentFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All states")), *PaymentState.choices], required=False
    )
    start = StaffDateField(label=_("Created from"), required=False)
    end = StaffDateField(label=_("to"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both dates of the period, or neither."))
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class ReceiptsForm(forms.Form):
    """The period of the régie's export."""

    start = StaffDateField(label=_("From"))
    end = StaffDateField(label=_("To"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data
