"""Staff form pieces: weekdays as checkboxes, money typed in euros and stored in cents."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from portail.activities.calendar import close_sessions
from portail.activities.models import Activity, BillingMode, Session, TariffBand

WEEKDAY_CHOICES = [(str(number), name) for number, name in sorted(WEEKDAYS.items())]


def weekdays_label(value: str) -> str:
    """'0,1,3,4' -> 'Monday, Tuesday, Thursday, Friday' in the UI language."""
    days = sorted({int(d) for d in value.split(",") if d.strip().isdigit()})
    return ", ".join(str(WEEKDAYS[d]) for d in days if d in WEEKDAYS)


class WeekdaysField(forms.MultipleChoiceField):
    """Monday..Sunday checkboxes for the model's "0,1,3,4" string."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("choices", WEEKDAY_CHOICES)
        kwargs.setdefault("error_messages", {"required": _("Tick at least one weekday.")})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, str):
            return [d for d in value.split(",") if d.strip()]
        return value

    def clean(self, value) -> str:  # type: ignore[override]
        days = super().clean(value)
        return ",".join(sorted(set(days), key=int))


EUROS_RE = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


class EuroCentsField(forms.DecimalField):
    """A price typed in euros ("3,70" or "3.70"), given to the model in integer cents."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 2)
        kwargs["localize"] = True  # a text input showing "3,70" in French, "3.70" in English
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "size": "8"}

    def prepare_value(self, value):
        if isinstance(value, int):
            return Decimal(value).scaleb(-2)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("€", "")
            for space in (" ", "\u00a0", "\u202f"):
                value = value.replace(space, "")
            # ASCII digits and one decimal separator only: Decimal would also read "1e3"
            # (1 000 EUR), "Infinity" or digits of other scripts.
            if value and not EUROS_RE.fullmatch(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def clean(self, value) -> int | None:  # type: ignore[override]
        euros = super().clean(value)  # at most two decimal places: a whole number of cents
        return None if euros is None else int(euros * 100)


class ActivityForm(forms.ModelForm):
    weekdays = WeekdaysField(label=_("weekdays"))

    class Meta:
        model = Activity
        fields = [
            "site",
            "name",
            "kind",
            "weekdays",
            "start_time",
            "end_time",
            "requires_booking",
            "billing_mode",
            "bill_unused_days",
            "default_capacity",
            "open_in_school_holidays",
            "booking_deadline_kind",
            "booking_deadline_value",
            "booking_deadline_time",
            "cancel_deadline_kind",
            "cancel_deadline_value",
            "cancel_deadline_time",
            "late_policy",
            "hold_minutes",
        ]

    def clean(self) -> dict:
        data = super().clean()
        mode = data.get("billing_mode")
        needs_booking = data.get("requires_booking")
        if mode == BillingMode.ON_ATTENDANCE and needs_booking:
            self.add_error(
                "requires_booking",
                _('An activity invoiced on attendance is not booked: untick "needs a booking".'),
            )
        elif mode and mode != BillingMode.ON_ATTENDANCE and needs_booking is False:
            self.add_error(
                "billing_mode",
                _("An activity without booking can only be invoiced on attendance."),
            )
        return data


class TariffBandForm(forms.ModelForm):
    price_cents = EuroCentsField(label=_("price (€)"))
    late_price_cents = EuroCentsField(
        label=_("late price (€)"),
        help_text=_("Charged for a booking made after the deadline; at least the price."),
    )

    class Meta:
        model = TariffBand
        fields = ["qf_min", "qf_max", "price_cents", "late_price_cents"]


class TariffBandFormSet(forms.BaseInlineFormSet):
    """The bands of a tariff must cover every QF from 0 up, without gaps or overlaps, the
    last one open-ended: then every household falls in exactly one band."""

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        bands = sorted(
            (
                (form.cleaned_data["qf_min"], form.cleaned_data.get("qf_max"))
                for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ),
            key=lambda band: band[0],
        )
        if not bands:
            raise ValidationError(_("A tariff needs at least one price band."))
        if bands[0][0] != 0:
            raise ValidationError(_("The first band must start at QF 0."))
        for (_low, high), (next_low, _next_high) in zip(bands, bands[1:], strict=False):
            if high is None or next_low != high + 1:
                raise ValidationError(
                    _(
                        "Bands must follow each other without gap or overlap: "
                        "after %(high)s comes %(next)s."
                    ),
                    params={"high": high if high is not None else "∞", "next": next_low},
                )
        if bands[-1][1] is not None:
            raise ValidationError(
                _("The last band must have no upper limit: leave its upper QF empty.")
            )


class CloseSessionsForm(forms.Form):
    """The reason asked before closing sessions (strike, outing...), told to families."""

    reason = forms.CharField(
        label=_("Reason for closing"),
        max_length=Session._meta.get_field("closed_reason").max_length,
        help_text=_("Shown to families, e.g. “Strike” or “School outing”."),
    )

    def save(self, sessions) -> int:
        return close_sessions(sessions, self.cleaned_data["reason"])
