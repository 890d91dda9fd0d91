"""Staff configure the procedures (open or not, titles, help texts, documents required);
requests are read here, never changed: every change goes through services.py (history,
e-mails, effects)."""

from django.contrib import admin

from portail.procedures.models import Procedure, Request, RequestAttachment, RequestEvent


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "is_open", "position"]
    list_editable = ["is_open", "position"]
    readonly_fields = ["code"]
    fields = ["code", "title", "description", "is_open", "required_documents", "position"]

    def has_add_permission(self, request) -> bool:
        return False  # the six procedures exist (migration); the code is the contract

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ["at", "kind", "status", "actor_label", "channel", "message"]
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = RequestAttachment
    fields = ["original_name", "content_type", "size", "created_at"]
    readonly_fields = fields


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ["number", "procedure", "household", "status", "submitted_at", "assigned_to"]
    list_filter = ["procedure", "status"]
    search_fields = ["=number", "household__name"]
    list_select_related = ["procedure", "household", "assigned_to"]
    inlines = [EventInline, AttachmentInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
