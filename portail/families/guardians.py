"""Which household a login acts for: the one way to find a user's guardian row.

The row (with its household) is remembered on the user object for the rest of the
request, so the page or API call that found it and the services it calls
(reservations.basket checks who may change a basket) ask the database once. An API token
brings it along already (api/tokens.py).
"""

from typing import Any

from portail.accounts.models import User
from portail.families.models import Guardian

_CACHE = User.guardian.related  # the reverse one-to-one user -> guardian


def guardian_of(user: Any) -> Guardian | None:
    """The user's guardian row with its household, or None (anonymous, staff, no household)."""
    if getattr(user, "pk", None) is None:
        return None
    if not _CACHE.is_cached(user):
        found = Guardian.objects.select_related("household").filter(user_id=user.pk).first()
        _CACHE.set_cached_value(user, found)
    return _CACHE.get_cached_value(user)
