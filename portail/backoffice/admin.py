"""Staff roles are configuration: set in Django's admin, used by the back office.

The activities' days (Session) are here too, not in activities/admin.py: a day's capacity
and its closing have rules (places taken, credits, e-mails, the staff's audit trail), and
here as in the back office they go through backoffice.sessions. The capacity (change form
and the list's column) is saved by change_capacity(), under the session's lock, never below
the places taken; closing is the "Close these days" action (close_session()); is_open and
closed_reason are never form fields. Reopening ("Reopen these days") goes through
backoffice.reopening.reopen_session(), as from the day's page: the bookings the closure
cancelled come back where the family has not used the credit, the families are e-mailed.
"""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from portail.activities.forms import CloseSessionsForm
from portail.activities.models import Session
from portail.backoffice.households import Refused
from portail.backoffice.models import StaffProfile
from portail.backoffice.reopening import reopen_session
from portail.backoffice.sessions import (
    change_capacity,
    check_capacity,
    close_session,
    session_label,
)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role")
    list_filter = ("role", "sites")
    search_fields = ("user__email", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)
    filter_horizontal = ("sites",)


class SessionAdminForm(forms.ModelForm):
    """An existing day's capacity is checked as the back office checks it (the places
    taken); SessionAdmin.save_model() then saves it through change_capacity()."""

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk is not None and capacity != self.instance.capacity:
            try:
                check_capacity(self.instance.pk, capacity)
            except Refused as refusal:
                raise forms.ValidationError(refusal.message) from None
        return capacity


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = SessionAdminForm
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
        # asks for the reason and lets the reservations refund. A new day starts open.
        if obj is not None:
            return ["activity", "date", "is_open", "closed_reason", "in_the_back_office"]
        return ["is_open", "closed_reason"]

    def get_changelist_form(self, request: HttpRequest, **kwargs):
        kwargs.setdefault("form", SessionAdminForm)
        return super().get_changelist_form(request, **kwargs)

    @admin.display(description=_("back office"))
    def in_the_back_office(self, obj: Session) -> str:
        url = reverse("backoffice:sessions") + "?" + urlencode({"seance": obj.pk})
        return format_html(
            '<a href="{}">{}</a>',
            url,
            _(
                "Change the capacity or close this day from its back-office page (the "
                "places taken are checked, the families told, the change recorded)."
            ),
        )

    def save_model(self, request: HttpRequest, obj: Session, form, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Only the capacity is editable on an existing day: through the service, under
        # the session's lock, never below the places taken, in the staff's audit trail.
        if "capacity" in form.changed_data:
            try:
                change_capacity(obj.pk, obj.capacity, actor=request.user)
            except Refused as refusal:  # places taken since the form was checked
                obj.refresh_from_db(fields=["capacity"])
                self.message_user(
                    request,
                    _("%(day)s: the capacity was not changed: %(reason)s")
                    % {"day": session_label(obj), "reason": refusal.message},
                    messages.ERROR,
                )

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
        """Each closed day is reopened by the back office's service (bookings restored
        where the credit is unused, families e-mailed); an open day is told, left alone."""
        opened = 0
        for session in queryset.select_related("activity__site").order_by("date", "pk"):
            try:
                reopen_session(session, actor=request.user)
            except Refused as refusal:
                self.message_user(
                    request,
                    _("%(day)s was not reopened: %(reason)s")
                    % {"day": session_label(session), "reason": refusal.message},
                    messages.WARNING,
                )
                continue
            opened += 1
        self.message_user(
            request,
            _("Days reopened: %(count)d.") % {"count": opened},
            messages.SUCCESS if opened else messages.WARNING,
        )
