"""Which household a login acts for: the one way to find a user's guardian row.

The row (with its household) is remembered on the user object for the rest of the
request, so the page or API call that found it and the services it calls
(reservations.basket checks who may change a basket) ask the database once. An API token
brings it along already (api/tokens.py), and so does a signed-in page's session
(accounts/sessions.py reads it with the session's row); "no guardian" (staff) is
remembered too, so neither asks again.

The parents' pages ask `guardian_household(request)`, or are guarded by
`guardian_required`: signed in, and a guardian of a household, else no page at all.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portail.accounts.models import User
from portail.families.models import Guardian, Household

_CACHE = User.guardian.related  # the reverse one-to-one user -> guardian


def guardian_of(user: Any) -> Guardian | None:
    """The user's guardian row with its household, or None (anonymous, staff, no household)."""
    if getattr(user, "pk", None) is None:
        return None
    if not _CACHE.is_cached(user):
        found = Guardian.objects.select_related("household").filter(user_id=user.pk).first()
        _CACHE.set_cached_value(user, found)
    return _CACHE.get_cached_value(user)


def guardian_household(request: HttpRequest) -> Household | None:
    """The household of the logged-in guardian, or None (staff, or a login without one)."""
    guardian = guardian_of(request.user)
    return guardian.household if guardian else None


def guardian_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the login page) and a guardian of a household (else a 403 page).

    Sets request.household: every query of these pages is scoped to it.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        household = guardian_household(request)
        if household is None:
            return render(request, "families/no_household.html", status=403)
        request.household = household  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper
