"""Read-only views of baskets, bookings and history for the service gestionnaire.

Changes go through the services (basket.py), never through these forms, so that every
change is checked, locked and written to the history: the admin only lists and shows.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portail.core.money import format_cents
from portail.reservations.models import Attendance, Basket, BasketLine, Booking, HistoryEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class BasketLineInline(admin.TabularInline):
    model = BasketLine
    fields = ["kind", "child", "session", "quantity", "unit_price", "late"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    @admin.display(description=_("unit price"))
    def unit_price(self, obj: BasketLine) -> str:
        return format_cents(obj.unit_price_cents)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Basket)
class BasketAdmin(ReadOnlyAdmin):
    list_display = ["reference", "household", "status", "submitted_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["reference", "household__name"]
    list_select_related = ["household"]
    inlines = [BasketLineInline]
    date_hierarchy = "created_at"


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["child", "session", "status", "price", "late", "basket"]
    list_filter = ["status", "late", "session__activity"]
    search_fields = ["child__first_name", "child__last_name", "basket__reference"]
    list_select_related = ["child", "session__activity", "basket"]
    date_hierarchy = "session__date"

    @admin.display(description=_("price"), ordering="price_cents")
    def price(self, obj: Booking) -> str:
        return format_cents(obj.price_cents)


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "child", "session", "action", "who", "channel", "detail"]
    list_filter = ["action", "channel", "actor_kind"]
    search_fields = ["child__first_name", "child__last_name", "actor_label"]
    list_select_related = ["child", "session__activity"]
    date_hierarchy = "created_at"

    @admin.display(description=_("who"))
    def who(self, obj: HistoryEntry) -> str:
        return obj.who


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "child", "present", "recorded_by", "recorded_at"]
    list_filter = ["present"]
    list_select_related = ["child", "session__activity", "recorded_by"]
