""" "Mes données personnelles" → "My API tokens": the account holder's tokens (label,
created, expires, last used) and a button to revoke each one.

Any signed-in account (guardian or staff) has this page: both may hold tokens. The list
and the revocation are scoped to the signed-in user by the query itself, so another
account's token id is answered exactly like an id that does not exist.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from portail.api.tokens import revoke_user_token, user_tokens

# A token id sent by the form: digits only, at most this many (ids are bigints).
MAX_ID_DIGITS = 18


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        raw = request.POST.get("token_id", "").strip()
        valid = raw.isascii() and raw.isdigit() and len(raw) <= MAX_ID_DIGITS
        if valid and revoke_user_token(request.user, int(raw)):  # type: ignore[arg-type]
            messages.success(request, gettext("The token was revoked: it no longer works."))
        else:
            messages.error(
                request, gettext("This token does not exist (any more): nothing was changed.")
            )
        return redirect("api_pages:tokens")
    now = timezone.now()
    tokens = user_tokens(request.user)  # type: ignore[arg-type]
    for token in tokens:
        token.expired = token.is_expired(now)  # type: ignore[attr-defined]
    response = render(
        request,
        "api/tokens.html",
        {"tokens": tokens, "lifetime_days": settings.PORTAIL_API_TOKEN_DAYS},
    )
    add_never_cache_headers(response)
    return response
