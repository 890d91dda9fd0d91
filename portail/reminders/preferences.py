"""Which reminders a guardian gets: every registered kind, except those turned off."""

from django.db import transaction

from portail.families.models import Guardian
from portail.reminders import registry
from portail.reminders.models import ReminderOptOut


def turned_off(guardian: Guardian) -> set[str]:
    return set(ReminderOptOut.objects.filter(guardian=guardian).values_list("kind", flat=True))


def wanted(guardian: Guardian) -> set[str]:
    """The codes of the kinds this guardian gets."""
    return {kind.code for kind in registry.kinds()} - turned_off(guardian)


def set_wanted(guardian: Guardian, codes: set[str]) -> None:
    """The guardian gets exactly the kinds `codes` (known codes only: the form checks)."""
    known = {kind.code for kind in registry.kinds()}
    unknown = codes - known
    if unknown:
        raise ValueError(f"unknown reminder kinds: {sorted(unknown)}")
    with transaction.atomic():
        ReminderOptOut.objects.filter(guardian=guardian, kind__in=codes).delete()
        already = turned_off(guardian)
        ReminderOptOut.objects.bulk_create(
            [
                ReminderOptOut(guardian=guardian, kind=code)
                for code in sorted(known - codes - already)
            ],
            ignore_conflicts=True,
        )
