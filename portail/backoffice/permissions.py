"""Who may do what in the back office (pages under /gestion/, API under /api/v1/staff/).

A staff login (User.is_staff, active) has one role, from its StaffProfile:
- "gestionnaire": everything;
- "pointage" (agent de pointage): attendance of the sites it is assigned to, nothing
  about money (no credits, prices, payments, baskets): it records an absence and that a
  medical certificate was handed in, and a gestionnaire decides whether that absence is
  justified, which credits the day's price (`can_justify_absence`);
- "cuisine" (kitchen): reads head counts, changes nothing.
A staff login without a profile has no role, except a superuser (gestionnaire). A
guardian, or anyone not staff, never has a role, whatever profile rows exist.

Pages use `@require_role(...)`; JSON endpoints use `@endpoint(auth="staff",
roles=(...))` (portail/api/http.py calls `check_api_roles`).
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from portail.backoffice.models import StaffProfile, StaffRole
from portail.core.models import Site

GESTIONNAIRE = StaffRole.GESTIONNAIRE.value
POINTAGE = StaffRole.POINTAGE.value
CUISINE = StaffRole.CUISINE.value
ALL_ROLES = (GESTIONNAIRE, POINTAGE, CUISINE)
# Roles that may see amounts of money (prices, credits, payments).
MONEY_ROLES = (GESTIONNAIRE,)
# Roles that decide a justified absence (the day's price becomes the family's credit).
JUSTIFY_ROLES = (GESTIONNAIRE,)


def staff_role(user: Any) -> str | None:
    """The back-office role of `user` ("gestionnaire", "pointage", "cuisine"), or None.

    Cached on the user object for the request (`_staff_role_cache`).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_active or not user.is_staff:
        return None
    if hasattr(user, "_staff_role_cache"):
        return user._staff_role_cache
    profile = StaffProfile.objects.filter(user_id=user.pk).only("role").first()
    if profile is not None and profile.role in ALL_ROLES:
        role: str | None = profile.role
    else:
        role = GESTIONNAIRE if user.is_superuser else None
    user._staff_role_cache = role
    return role


def has_role(user: Any, *roles: str) -> bool:
    """True when `user` has one of `roles` (any role when none is given)."""
    role = staff_role(user)
    return role is not None and (not roles or role in roles)


def can_see_money(user: Any) -> bool:
    """Amounts (prices, credits, payments) are for gestionnaires only."""
    return has_role(user, *MONEY_ROLES)


def sites_for(user: Any) -> QuerySet[Site]:
    """The sites whose attendance and head counts `user` may see: all of them for a
    gestionnaire or a kitchen, the assigned ones for an attendance agent, none otherwise."""
    role = staff_role(user)
    if role in (GESTIONNAIRE, CUISINE):
        return Site.objects.all()
    if role == POINTAGE:
        return Site.objects.filter(staff_profiles__user_id=user.pk)
    return Site.objects.none()


def can_record_attendance(user: Any, site: Site | int) -> bool:
    """A gestionnaire anywhere; an attendance agent on its assigned sites only."""
    role = staff_role(user)
    if role == GESTIONNAIRE:
        return True
    if role != POINTAGE:
        return False
    site_id = site if isinstance(site, int) else site.pk
    return StaffProfile.objects.filter(user_id=user.pk, sites__pk=site_id).exists()


def can_justify_absence(user: Any) -> bool:
    """Crediting a justified absence is a gestionnaire's decision; an attendance agent
    records the absence and the certificate only (backoffice.attendance)."""
    return has_role(user, *JUSTIFY_ROLES)


def require_role(
    *roles: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """View decorator: signed-in staff with one of `roles` (any role when none given).

    Anonymous visitors go to the login page; everyone else without the role gets 403
    (PermissionDenied). Sets `request.staff_role` for the view and its templates.
    """
    unknown = set(roles) - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"Unknown staff roles {sorted(unknown)}")

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied("This page is for other staff roles")
            request.staff_role = staff_role(request.user)  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapper.staff_roles = tuple(roles) or ALL_ROLES  # type: ignore[attr-defined]
        return wrapper

    return decorator


def grant_role(user: Any, role: str, *, sites: Iterable[Site] = ()) -> StaffProfile:
    """Make `user` a staff member with `role` (and, for an attendance agent, `sites`).

    Idempotent: an existing profile is updated and its sites replaced.
    """
    if role not in ALL_ROLES:
        raise ValueError(f"Unknown staff role {role!r}")
    with transaction.atomic():
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        profile, _created = StaffProfile.objects.update_or_create(
            user=user, defaults={"role": role}
        )
        profile.sites.set(list(sites))
    if hasattr(user, "_staff_role_cache"):
        del user._staff_role_cache
    return profile
