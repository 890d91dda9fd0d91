"""System checks of the accounts app (run by `portail check --deploy`)."""

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

DEMO_LOGINS_ID = "accounts.E001"


@register(Tags.security, deploy=True)
def check_no_demo_logins(app_configs=None, **kwargs) -> list[Error]:
    """Outside demo mode, no demo login (password in the README) may be able to log in.

    The portal refuses them anyway (User.check_password); this tells the operator that a
    database which once held the demo is being served. Silent when the database cannot be
    read (not migrated yet, not reachable): other checks and commands say so.
    """
    if settings.PORTAIL_DEMO:
        return []
    if app_configs is not None and not any(c.label == "accounts" for c in app_configs):
        return []
    from portail.accounts.models import DEMO_LOGIN_EMAILS, User

    try:
        emails = sorted(
            User.objects.filter(email__in=DEMO_LOGIN_EMAILS, is_active=True)
            .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
            .values_list("email", flat=True)
        )
    except DatabaseError:
        return []
    if not emails:
        return []
    return [
        Error(
            f"Demo logins can still log in: {', '.join(emails)}. Their passwords are "
            "published; this database held the demo commune.",
            hint=(
                "The portal refuses them outside demo mode, but they must go: disable them "
                "(untick Active in /admin/) or delete them, or use a database that never "
                "held the demo."
            ),
            id=DEMO_LOGINS_ID,
        )
    ]
