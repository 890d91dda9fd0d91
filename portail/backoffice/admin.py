"""Staff roles are configuration: set in Django's admin, used by the back office."""

from django.contrib import admin

from portail.backoffice.models import StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role")
    list_filter = ("role", "sites")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("sites",)
