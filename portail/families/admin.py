"""Households, their guardians and children, as the service gestionnaire manages them."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portail.families.models import (
    CalendarFeed,
    Child,
    Document,
    DocumentAttachment,
    Guardian,
    Household,
    QuotientPeriod,
)


class GuardianInline(admin.TabularInline):
    model = Guardian
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "phone"]


class ChildInline(admin.TabularInline):
    model = Child
    extra = 0
    fields = ["first_name", "last_name", "birth_date", "special_diet", "has_pai"]
    show_change_link = True


class QuotientPeriodInline(admin.TabularInline):
    """The QF over time, read only: it changes through families.quotient.set_quotient
    (the back office's household page), never here."""

    model = QuotientPeriod
    extra = 0
    fields = ["value", "valid_from", "valid_to", "source", "created_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "city"]
    search_fields = [
        "name",
        "email",
        "guardians__user__email",
        "guardians__user__last_name",
        "children__last_name",
    ]
    list_filter = ["city"]
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "address", ("postal_code", "city")]}),
        (
            _("Quotient familial"),
            {"fields": ["qf_note"]},
        ),
    ]
    # The QF sets the prices: it changes through the back office's service
    # (backoffice.households.set_quotient_familial, then families.quotient.set_quotient,
    # in the staff's audit trail), not here: its periods are shown read only.
    readonly_fields = ["qf_note"]
    inlines = [GuardianInline, ChildInline, QuotientPeriodInline]

    @admin.display(description=_("change it"))
    def qf_note(self, obj: Household) -> str:
        if obj.pk is None:
            return _("Set the quotient familial from the household's back-office page.")
        return format_html(
            '<a href="{}#qf">{}</a>',
            reverse("backoffice:household", args=[obj.pk]),
            _("Set the quotient familial from the household's back-office page."),
        )


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    """A child; activities/admin.py registers it again with its enrolments (inline and
    filter), which live in the activities app."""

    list_display = ["first_name", "last_name", "household", "birth_date", "has_pai"]
    list_select_related = ["household"]
    list_filter = ["has_pai"]
    search_fields = ["first_name", "last_name", "household__name"]
    autocomplete_fields = ["household"]


class DocumentAttachmentInline(admin.TabularInline):
    """The files sent with a document (names and sizes; the family opens them)."""

    model = DocumentAttachment
    extra = 0
    fields = ["filename", "content_type", "size"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """What was sent to households ("Mes documents"): a record, read only."""

    inlines = [DocumentAttachmentInline]

    list_display = ["created_at", "household", "kind", "title", "recipient"]
    list_select_related = ["household"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient", "household__name"]
    date_hierarchy = "created_at"
    readonly_fields = ["household", "kind", "title", "recipient", "body", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Document | None = None) -> bool:
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Private calendar addresses: staff can see who has one and stop it (delete), never
    read the address itself (only its hash is stored)."""

    list_display = ["guardian", "created_at", "last_used_at"]
    list_select_related = ["guardian__user"]
    search_fields = ["guardian__user__email", "guardian__household__name"]
    fields = ["guardian", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CalendarFeed | None = None) -> bool:
        return False
