"""The language a user chose follows them: from the login page into their session, and
from one browser to another.

- Signed out, the language switch (accounts.views.set_language) sets the cookie and notes
  the choice in the session (CHOSEN_KEY); Django's login keeps a signed-out session's data.
- At login (apply_user_language): a choice made on the way in wins and is stored on the
  account; else the account's stored language comes back; else (never chosen) the page
  stays in the language it was shown in, and e-mails use the portal's default.
- Signed in, the switch stores the choice on the account (remember_language).
"""

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


CHOSEN_KEY = "portail_language_chosen"


def note_choice(request: HttpRequest, code: str | None) -> None:
    """A signed-out visitor chose a language (kept for their login, see the module)."""
    if offered(code) and hasattr(request, "session"):
        request.session[CHOSEN_KEY] = code


def apply_user_language(request: HttpRequest, response: HttpResponse, user: User) -> None:
    """At login: the language chosen on the way in (stored on the user), else the one
    stored on the user, for this request and the next."""
    chosen = request.session.pop(CHOSEN_KEY, None) if hasattr(request, "session") else None
    if offered(chosen):
        remember_language(user, chosen)
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
