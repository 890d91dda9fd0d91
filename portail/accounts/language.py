"""The language a logged-in user chose follows them from one browser to another."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from portail.accounts.models import User


def offered(code: str | None) -> bool:
    return code in {language for language, _name in settings.LANGUAGES}


def set_language_cookie(response: HttpResponse, code: str) -> None:
    """The same cookie as django.views.i18n.set_language sets."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def apply_user_language(request: HttpRequest, response: HttpResponse, user: User) -> None:
    """At login: switch to the language stored on the user, for this request and the next."""
    if offered(user.language):
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
        set_language_cookie(response, user.language)


def remember_language(user: User, code: str | None) -> bool:
    """Store a language the user switched to; False (nothing stored) if not offered."""
    if not offered(code) or not user.is_authenticated:
        return False
    if user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return True
