"""The live sessions of Django's table (django_session) carried into accounts.Session, so
that upgrading signs nobody out. Their `user` column stays empty: the middleware then asks
the authentication backend (one more statement, as before), and the next save of the
session fills it (accounts/sessions.py)."""

from django.db import migrations
from django.utils import timezone


def carry(apps, schema_editor) -> None:  # noqa: ANN001 - Django's migration signature
    try:
        old = apps.get_model("sessions", "Session")
    except LookupError:  # django.contrib.sessions not installed: nothing to carry
        return
    new = apps.get_model("accounts", "Session")
    live = old.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data", "expire_date"
    )
    known = set(new.objects.values_list("session_key", flat=True))
    new.objects.bulk_create(
        [
            new(session_key=key, session_data=data, expire_date=expires)
            for key, data, expires in live.iterator(chunk_size=2000)
            if key not in known
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_session"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(carry, migrations.RunPython.noop)]
