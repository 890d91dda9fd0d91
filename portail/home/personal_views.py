""" "Mes données personnelles": the household as the service knows it, and what a guardian
may change alone (login e-mail, own phone, password, private calendar address).

Everything is read through the logged-in user: a guardian sees and changes only their
own household and their own login. Changes of address or quotient familial are asked of
the service (its contact is shown).
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from portail.accounts.emails import absolute_url, render_for
from portail.activities.models import Enrolment
from portail.core.models import Organisation
from portail.families.email_change import (
    EMAIL_CHANGE_HOURS,
    EmailChangeError,
    apply_change,
    request_change,
)
from portail.families.forms import EmailChangeForm, PhoneForm, PortalPasswordChangeForm
from portail.families.messaging import send_to_user
from portail.families.models import Document, Guardian
from portail.reservations import calendar_feed

# The session key holding a new calendar address until the page shows it (once).
NEW_FEED_SESSION_KEY = "families.new_calendar_feed"


def _guardian(request: HttpRequest) -> Guardian | None:
    return (
        Guardian.objects.select_related("household", "user").filter(user_id=request.user.pk).first()
    )


def _guardian_or_404(request: HttpRequest) -> Guardian:
    guardian = _guardian(request)
    if guardian is None:
        raise Http404
    return guardian


@login_required
def personal_data(request: HttpRequest) -> HttpResponse:
    """The household, its guardians and children (with their enrolments) and the login."""
    guardian = _guardian(request)
    organisation = Organisation.current()
    context: dict = {
        "guardian": guardian,
        "email_change_hours": EMAIL_CHANGE_HOURS,
        "org": organisation,  # the service's contact (service_contact.html)
        "organisation": organisation,  # the layout's, fetched once
    }
    if guardian is not None:
        household = guardian.household
        enrolments = Enrolment.objects.select_related("activity__site").order_by(
            "-valid_to", "activity__name", "pk"
        )
        context.update(
            {
                "household": household,
                "qf_period": household.quotient_period_on(timezone.localdate()),
                "guardians": list(
                    household.guardians.select_related("user").order_by(
                        "user__last_name", "user__first_name", "pk"
                    )
                ),
                "children": list(
                    household.children.order_by("first_name", "pk").prefetch_related(
                        Prefetch("enrolments", queryset=enrolments, to_attr="all_enrolments")
                    )
                ),
                "feed": getattr(guardian, "calendar_feed", None),
            }
        )
    return render(request, "families/personal_data.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    """Ask for a new login e-mail: a link goes to the new address; nothing changes yet.

    The current password is checked under the login throttle (see EmailChangeForm)."""
    form = EmailChangeForm(request.user, request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        request_change(request.user, new_email, request)
        messages.success(
            request,
            gettext(
                "A confirmation link has been sent to %(email)s. Your address will change "
                "when you open it (within %(hours)s h)."
            )
            % {"email": new_email, "hours": EMAIL_CHANGE_HOURS},
        )
        return redirect("families:personal_data")
    return render(
        request,
        "families/email_change.html",
        {"form": form, "hours": EMAIL_CHANGE_HOURS},
    )


@require_GET
def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to the new address: opening it applies the change (logged in or not,
    on any device); the old address is told."""
    try:
        change = apply_change(token)
    except EmailChangeError as error:
        response = render(
            request,
            "families/email_change_failed.html",
            {"code": error.code, "hours": EMAIL_CHANGE_HOURS},
            status=400,
        )
    else:
        response = render(request, "families/email_change_done.html", {"change": change})
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def phone_change(request: HttpRequest) -> HttpResponse:
    guardian = _guardian_or_404(request)
    form = PhoneForm(request.POST or None, instance=guardian)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, gettext("Your phone number has been saved."))
        return redirect("families:personal_data")
    return render(request, "families/phone_change.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (the session stays logged in); the account's address is told.

    The old password is checked under the login throttle, keyed on the account: once
    its budget is spent, even the right one is refused until the window has passed (the
    session is kept; see accounts.services.check_current_password)."""

    form_class = PortalPasswordChangeForm
    template_name = "families/password_change.html"
    success_url = reverse_lazy("families:personal_data")

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs

    def form_valid(self, form: PortalPasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        subject, body = render_for(
            user,
            "families/email/password_changed",
            {
                "user": user,
                "when": timezone.localtime(),
                "organisation": Organisation.current(),
                "reset_url": absolute_url(reverse("accounts:password_reset"), self.request),
            },
        )
        send_to_user(user, kind=Document.Kind.ACCOUNT_SECURITY, subject=subject, body=body)
        messages.success(self.request, gettext("Your password has been changed."))
        return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Make, replace or stop the private calendar address.

    A new address is shown once (it is stored hashed): it goes through the session to
    the next page view, then is forgotten."""
    guardian = _guardian_or_404(request)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "new":
            token = calendar_feed.new_feed(guardian)
            url = absolute_url(reverse("families:calendar_feed", args=[token]), request)
            request.session[NEW_FEED_SESSION_KEY] = url
            messages.success(
                request,
                gettext(
                    "Your new calendar address is ready. Any previous address stopped working."
                ),
            )
        elif action == "delete":
            if calendar_feed.delete_feed(guardian):
                messages.success(request, gettext("Your calendar address no longer works."))
        else:
            messages.error(request, gettext("Unknown action: nothing was changed."))
        return redirect("families:calendar_settings")
    new_url = request.session.pop(NEW_FEED_SESSION_KEY, None)
    response = render(
        request,
        "families/calendar_settings.html",
        {
            "feed": getattr(guardian, "calendar_feed", None),
            "new_url": new_url,
            "past_days": calendar_feed.PAST_DAYS,
        },
    )
    add_never_cache_headers(response)
    return response


@require_GET
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself: no login, the secret in the address is the key; 404 otherwise."""
    feed = calendar_feed.feed_for_token(token)
    if feed is None:
        raise Http404
    organisation = Organisation.current()
    body = calendar_feed.build_calendar(
        feed.guardian, organisation_name=organisation.name if organisation else ""
    )
    calendar_feed.mark_used(feed)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="portail-famille.ics"'
    patch_cache_control(response, private=True, no_cache=True, max_age=0)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
