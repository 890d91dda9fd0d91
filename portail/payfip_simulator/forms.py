"""The simulated card form and the switches' form."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.payfip_simulator.models import NotificationMode, SimulatorBehaviour
from portail.payfip_simulator.operations import (
    PAID_BY_CARD,
    PAID_BY_DIRECT_DEBIT,
    REFUSED_CARD,
    REFUSED_DIRECT_DEBIT,
)

TEST_CARD_NUMBER = "4970 1012 3456 7893"  # passes the Luhn check; no real card


class ErrorsDescribedMixin:
    """Point each field with errors at its error list (aria-describedby), for screen
    readers; the template gives the list the id "<field id>-errors"."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-errors"  # type: ignore[index]


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


class CardForm(ErrorsDescribedMixin, forms.Form):
    """A card form like PayFiP's, plus the result the simulator should give."""

    card_number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    expiry = forms.CharField(
        label=_("Expiry date (MM/YY)"),
        max_length=5,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    cvv = forms.CharField(
        label=_("Security code (3 digits on the back)"),
        max_length=3,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    outcome = forms.ChoiceField(
        label=_("Simulated result"),
        choices=[
            (PAID_BY_CARD, _("Card payment accepted (P)")),
            (REFUSED_CARD, _("Card payment refused (R)")),
            (PAID_BY_DIRECT_DEBIT, _("Direct debit accepted (V)")),
            (REFUSED_DIRECT_DEBIT, _("Direct debit refused (Z)")),
        ],
        initial=PAID_BY_CARD,
        widget=forms.RadioSelect,
    )

    @staticmethod
    def initial_values() -> dict[str, str]:
        next_year = timezone.localdate().year % 100 + 1
        return {
            "card_number": TEST_CARD_NUMBER,
            "expiry": f"12/{next_year:02d}",
            "cvv": "123",
            "outcome": PAID_BY_CARD,
        }

    def clean_card_number(self) -> str:
        digits = re.sub(r"[ -]", "", self.cleaned_data["card_number"])
        if not (digits.isascii() and digits.isdigit() and 13 <= len(digits) <= 19):
            raise forms.ValidationError(_("Enter the 13 to 19 digits of the card number."))
        if not luhn_ok(digits):
            raise forms.ValidationError(_("This card number is not valid."))
        return digits

    def clean_expiry(self) -> str:
        value = self.cleaned_data["expiry"].strip()
        match = re.fullmatch(r"(\d{2})/(\d{2})", value)
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY, e.g. 09/27."))
        today = timezone.localdate()
        if (2000 + int(match[2]), int(match[1])) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return value

    def clean_cvv(self) -> str:
        value = self.cleaned_data["cvv"].strip()
        if not re.fullmatch(r"\d{3}", value):
            raise forms.ValidationError(_("Enter the 3 digits of the security code."))
        return value


class NotificationChoiceForm(ErrorsDescribedMixin, forms.Form):
    """For this payment only: how the simulator notifies the site (empty: global)."""

    notification = forms.ChoiceField(
        label=_("Notification to the site for this payment"),
        choices=[("", _("As set for the simulator"))] + list(NotificationMode.choices),
        required=False,
    )


class BehaviourForm(ErrorsDescribedMixin, forms.ModelForm):
    class Meta:
        model = SimulatorBehaviour
        fields = ["notification", "late_seconds", "notify_method", "soap_mode", "slow_seconds"]

    def clean_slow_seconds(self) -> int:
        value = self.cleaned_data["slow_seconds"]
        if value > 60:
            raise forms.ValidationError(_("At most 60 seconds."))
        return value
