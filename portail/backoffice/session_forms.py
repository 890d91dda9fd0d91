"""Forms of the sessions' reopening and of the closing of many days (a strike): shape and
types; the services (backoffice.reopening, backoffice.strike) do the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portail.activities.models import Activity
from portail.backoffice import sessions, strike
from portail.backoffice.dates import StaffDateField
from portail.backoffice.households import Refused
from portail.core.models import Site


class ReopenForm(forms.Form):
    # Reopening takes credit back from families: asked for in so many words.
    confirm = forms.BooleanField(
        label=_(
            "I confirm: reopen this day; the bookings it cancelled are booked again where "
            "the family has not used the credit, which is then taken back."
        ),
        error_messages={"required": _("Tick the box to confirm that the day is to be reopened.")},
    )


class ActivityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.name} ({obj.site.name})"


class StrikeForm(forms.Form):
    """Which days to close: a date range, sites, activities (none ticked: all the
    activities of the sites), the reason; the confirmation box for the second step."""

    start = StaffDateField(label=_("From"))
    end = StaffDateField(label=_("To (included)"))
    sites = forms.ModelMultipleChoiceField(
        label=_("Sites"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one site.")},
    )
    activities = ActivityChoiceField(
        label=_("Activities"),
        queryset=Activity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every activity of the sites ticked."),
    )
    reason = forms.CharField(
        label=_("Reason for closing"),
        max_length=sessions.REASON_MAX_LENGTH,
        help_text=_("Told to the families in the e-mail and shown in their planning."),
    )
    confirm = forms.BooleanField(
        label=_("I confirm: close these days, cancel their bookings and credit the families."),
        required=False,
    )

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["sites"].queryset = Site.objects.order_by("name")
        self.fields["activities"].queryset = Activity.objects.select_related("site").order_by(
            "site__name", "name", "pk"
        )

    @staticmethod
    def confirm_required_message() -> str:
        return str(_("Tick the box to confirm that these days are to be closed."))

    def clean_reason(self) -> str:
        try:
            return sessions.check_reason(self.cleaned_data.get("reason", ""))
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from None

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last day cannot be before the first."))
            elif (end - start).days + 1 > strike.MAX_DAYS:
                self.add_error(
                    "end",
                    _("At most %(max)d days at once, please.") % {"max": strike.MAX_DAYS},
                )
        sites = data.get("sites")
        activities = data.get("activities")
        if sites is not None and activities:
            outside = [a for a in activities if a.site_id not in {s.pk for s in sites}]
            if outside:
                self.add_error(
                    "activities",
                    _("%(activity)s is not on a site ticked.")
                    % {"activity": ActivityChoiceField.label_from_instance(None, outside[0])},
                )
        return data

    def choice(self) -> strike.Choice:
        data = self.cleaned_data
        return strike.Choice(
            start=data["start"],
            end=data["end"],
            sites=list(data["sites"]),
            activities=list(data["activities"]),
            reason=data["reason"],
        )
