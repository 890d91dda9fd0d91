"""The staff's configuration of activities, their days, enrolments and prices."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portail.activities.calendar import (
    CalendarUnavailable,
    default_zone,
    generate_sessions,
    reopen_sessions,
    school_year_bounds,
)
from portail.activities.forms import (
    ActivityForm,
    CloseSessionsForm,
    TariffBandForm,
    TariffBandFormSet,
    weekdays_label,
)
from portail.activities.models import Activity, Enrolment, Session, Tariff, TariffBand
from portail.backoffice.households import Refused
from portail.backoffice.sessions import close_session, session_label
from portail.core.money import format_cents


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    form = ActivityForm
    list_display = [
        "name",
        "site",
        "kind",
        "days",
        "start_time",
        "end_time",
        "default_capacity",
        "requires_booking",
        "open_in_school_holidays",
    ]
    list_filter = ["site", "kind", "requires_booking", "open_in_school_holidays"]
    list_select_related = ["site"]
    search_fields = ["name", "site__name"]
    actions = ["generate_current_year"]
    fieldsets = [
        (
            _("General"),
            {
                "fields": [
                    "site",
                    "name",
                    "kind",
                    "weekdays",
                    ("start_time", "end_time"),
                    "default_capacity",
                    "open_in_school_holidays",
                ]
            },
        ),
        (
            _("Booking policy"),
            {
                "fields": [
                    "requires_booking",
                    ("booking_deadline_kind", "booking_deadline_value", "booking_deadline_time"),
                    ("cancel_deadline_kind", "cancel_deadline_value", "cancel_deadline_time"),
                    "late_policy",
                    "hold_minutes",
                ]
            },
        ),
    ]

    @admin.display(description=_("weekdays"), ordering="weekdays")
    def days(self, obj: Activity) -> str:
        return weekdays_label(obj.weekdays)

    @admin.action(
        description=_("Generate the sessions of the current school year"),
        permissions=["change"],
    )
    def generate_current_year(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        try:
            start, end = school_year_bounds(timezone.localdate(), default_zone())
        except CalendarUnavailable:
            self.message_user(
                request,
                _("The school calendar of the current school year is not known yet."),
                messages.ERROR,
            )
            return
        created = existing = 0
        for activity in queryset.select_related("site__organisation"):
            report = generate_sessions(activity, start, end)
            created += report.created
            existing += report.existing
        self.message_user(
            request,
            _(
                "School year from %(start)s to %(end)s. Sessions created: %(created)d; "
                "already there (left unchanged): %(existing)d."
            )
            % {
                "start": date_format(start, "SHORT_DATE_FORMAT"),
                "end": date_format(end, "SHORT_DATE_FORMAT"),
                "created": created,
                "existing": existing,
            },
            messages.SUCCESS,
        )


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["date", "activity", "capacity", "is_open", "closed_reason"]
    list_display_links = ["date"]
    list_editable = ["capacity"]
    list_filter = ["activity", "activity__site", "is_open"]
    list_select_related = ["activity"]
    date_hierarchy = "date"
    search_fields = ["activity__name", "closed_reason"]
    autocomplete_fields = ["activity"]
    ordering = ["date", "activity__start_time", "activity__name"]
    actions = ["close_days", "reopen_days"]

    def get_readonly_fields(self, request: HttpRequest, obj: Session | None = None):
        # Closing a day has consequences for its bookings: only through the action, which
        # asks for the reason and lets the reservations refund.
        if obj is not None:
            return ["activity", "date", "is_open", "closed_reason"]
        return []

    @admin.action(description=_("Close these days"), permissions=["change"])
    def close_days(self, request: HttpRequest, queryset: QuerySet[Session]) -> HttpResponse | None:
        """Each day is closed by the back office's service, as from its own page: bookings
        credited, requests withdrawn, families e-mailed, the staff member recorded; a day
        already closed or with attendance recorded is refused (told, left unchanged)."""
        form = CloseSessionsForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            closed = 0
            for session in queryset.select_related("activity__site").order_by("date", "pk"):
                try:
                    close_session(session, reason, actor=request.user)
                except Refused as refusal:
                    self.message_user(
                        request,
                        _("%(day)s was not closed: %(reason)s")
                        % {"day": session_label(session), "reason": refusal.message},
                        messages.ERROR,
                    )
                    continue
                closed += 1
            self.message_user(
                request,
                _("Days closed: %(count)d.") % {"count": closed},
                messages.SUCCESS if closed else messages.WARNING,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Close these days"),
            "opts": self.model._meta,
            "form": form,
            "sessions": queryset.select_related("activity"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/activities/session/close_sessions.html", context)

    @admin.action(description=_("Reopen these days"), permissions=["change"])
    def reopen_days(self, request: HttpRequest, queryset: QuerySet[Session]) -> None:
        opened = reopen_sessions(queryset)
        self.message_user(
            request,
            _("Days reopened: %(count)d.") % {"count": opened},
            messages.SUCCESS,
        )


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["child", "activity", "valid_from", "valid_to"]
    list_filter = ["activity", "activity__site"]
    list_select_related = ["child", "activity"]
    search_fields = ["child__first_name", "child__last_name", "child__household__name"]
    autocomplete_fields = ["child", "activity"]
    date_hierarchy = "valid_from"


class TariffBandInline(admin.TabularInline):
    model = TariffBand
    form = TariffBandForm
    formset = TariffBandFormSet
    extra = 1
    min_num = 1


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
    list_display = ["name", "valid_from", "valid_to", "activity_names", "prices"]
    list_filter = ["activities"]
    search_fields = ["name", "activities__name"]
    filter_horizontal = ["activities"]
    inlines = [TariffBandInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tariff]:
        return super().get_queryset(request).prefetch_related("activities", "bands")

    @admin.display(description=_("activities"))
    def activity_names(self, obj: Tariff) -> str:
        return ", ".join(a.name for a in obj.activities.all())

    @admin.display(description=_("prices by QF"))
    def prices(self, obj: Tariff) -> str:
        return "; ".join(
            _("%(band)s: %(price)s (late %(late)s)")
            % {
                "band": band,
                "price": format_cents(band.price_cents),
                "late": format_cents(band.late_price_cents),
            }
            for band in obj.bands.all()
        )
