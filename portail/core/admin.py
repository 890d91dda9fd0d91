"""The collectivité and its sites, as the staff configure them."""

from django.contrib import admin
from django.http import HttpRequest

from portail.core.models import LegalPage, Organisation, Site


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    fields = ["name", "address"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "school_zone", "payfip_numcli", "contact_email", "contact_phone"]
    fields = [
        "name",
        "school_zone",
        "payfip_numcli",
        "welcome_text",
        "contact_email",
        "contact_phone",
        "address",
        "family_file_required_from",
    ]
    inlines = [SiteInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One installation serves one collectivité (Organisation.current()).
        return super().has_add_permission(request) and not Organisation.objects.exists()


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_select_related = ["organisation"]
    search_fields = ["name", "address"]


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The footer's pages (legal notice, personal data, accessibility statement, terms of
    use, supported browsers): staff edit their texts; the five kinds are fixed."""

    list_display = ["kind", "language", "title", "updated_at"]
    list_filter = ["kind", "language"]
    fields = ["kind", "language", "title", "body"]

    def get_readonly_fields(self, request: HttpRequest, obj=None):  # noqa: ANN001, ANN201
        return ["kind", "language"] if obj is not None else []
