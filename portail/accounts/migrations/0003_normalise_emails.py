"""Store every login address in the normalised form (accounts.models.normalise_email).

Lookups are now exact matches on that form. An address whose normalised form another
account already has is left as it is (printed): merging accounts is for staff to decide,
in the admin.
"""

import unicodedata

from django.db import migrations


def normalise(email: str) -> str:
    """accounts.models.normalise_email as of this migration (frozen here on purpose)."""
    folded = unicodedata.normalize("NFKC", email).lower()
    return unicodedata.normalize("NFKC", folded).strip()


def normalise_emails(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    taken = set(User.objects.values_list("email", flat=True))
    rows = User.objects.order_by("pk").values_list("pk", "email")
    for pk, email in rows.iterator():
        target = normalise(email)
        if target == email:
            continue
        if target in taken:
            print(f"\n  accounts: {email!r} left as it is: another account has {target!r}")
            continue
        User.objects.filter(pk=pk).update(email=target)
        taken.add(target)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_loginfailure"),
    ]

    operations = [
        migrations.RunPython(normalise_emails, migrations.RunPython.noop, elidable=True),
    ]
