"""Staff can see who has API tokens and revoke them (delete); tokens are never shown."""

from django.contrib import admin
from django.http import HttpRequest

from portail.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "created_at", "expires_at", "last_used_at"]
    search_fields = ["user__email", "label"]
    readonly_fields = ["user", "key_hash", "label", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are created through POST /api/v1/auth/token only
