"""The staff's configuration of activities, enrolments and prices.

The days (Session) are in backoffice/admin.py: their capacity and closing go through the
back office's services.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portail.activities.calendar import (
    CalendarUnavailable,
    default_zone,
    generate_sessions,
    school_year_bounds,
)
from portail.activities.forms import (
    ActivityForm,
    TariffBandForm,
    TariffBandFormSet,
    weekdays_label,
)
from portail.activities.models import (
    Activity,
    BookingWindow,
    Enrolment,
    HouseholdPriority,
    Tariff,
    TariffBand,
)
from portail.core.money import format_cents
from portail.families.admin import ChildAdmin
from portail.families.models import Child


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


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["child", "activity", "valid_from", "valid_to"]
    list_filter = ["activity", "activity__site"]
    list_select_related = ["child", "activity"]
    search_fields = ["child__first_name", "child__last_name", "child__household__name"]
    autocomplete_fields = ["child", "activity"]
    date_hierarchy = "valid_from"


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ["activity"]
    fields = ["activity", "valid_from", "valid_to"]


class ChildWithEnrolmentsAdmin(ChildAdmin):
    """The child's page of families.admin, with its enrolments: listed and edited inline,
    and a filter of the children by activity."""

    list_filter = [*ChildAdmin.list_filter, "enrolments__activity"]
    inlines = [*ChildAdmin.inlines, EnrolmentInline]


admin.site.unregister(Child)
admin.site.register(Child, ChildWithEnrolmentsAdmin)


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


# --- Booking windows (docs/booking-windows.md) ----------------------------------------------


@admin.register(BookingWindow)
class BookingWindowAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "first_day",
        "last_day",
        "priority_opens_at",
        "opens_at",
        "draw_minutes",
        "drawn_at",
    )
    filter_horizontal = ("activities",)
    readonly_fields = ("seed", "drawn_at")


@admin.register(HouseholdPriority)
class HouseholdPriorityAdmin(admin.ModelAdmin):
    list_display = ("household", "criterion", "set_by", "set_at")
    list_filter = ("criterion",)
    raw_id_fields = ("household",)
    readonly_fields = ("set_by", "set_at")
