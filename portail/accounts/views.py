"""Account pages: log in and out, forgotten password, activation, language switch.

Thin subclasses of Django's own views: the rules live in services.py, throttling.py,
activation.py and language.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.views import i18n

from portail.accounts.forms import LoginForm, NewPasswordForm, PasswordResetRequestForm
from portail.accounts.language import apply_user_language, note_choice, remember_language
from portail.accounts.models import User
from portail.accounts.services import BACKEND
from portail.accounts.tokens import activation_token

# The last part of the address of the set-password pages, which replaces the token once it
# has been checked (so that the token does not leak through the Referer header).
SET_PASSWORD_SLUG = "mot-de-passe"


class LoginView(auth_views.LoginView):
    """E-mail and password, under the login throttle; then the user's own language."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        apply_user_language(self.request, response, form.get_user())
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django answers 405 to a GET): a link cannot log anyone out."""


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    reset_url_token = SET_PASSWORD_SLUG

    def get_user(self, uidb64: str) -> User | None:
        """Disabled accounts cannot set a password from a link."""
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ActivationView(PasswordResetConfirmView):
    """The page an activation link opens: choose a password, then go home, logged in.

    An expired or used link shows a page saying so, with the way to get a new one.
    """

    token_generator = activation_token
    template_name = "accounts/activate.html"
    success_url = reverse_lazy("families:home")
    post_reset_login = True
    post_reset_login_backend = BACKEND

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["activation_hours"] = settings.PORTAIL_ACTIVATION_HOURS
        return context

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        apply_user_language(self.request, response, form.user)
        messages.success(self.request, gettext("Your password is set. Welcome!"))
        return response


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice stored on the logged-in user.

    Registered at Django's own address (/i18n/setlang/, name "set_language"), so the
    language switch in base.html needs no change.
    """
    response = i18n.set_language(request)
    if request.method == "POST":
        code = request.POST.get(i18n.LANGUAGE_QUERY_PARAMETER)
        if request.user.is_authenticated:
            remember_language(request.user, code)
        else:
            note_choice(request, code)
    return response
