"""The built-in reminder kinds, registered in this order (the preferences page's order).

A kind owned by an app above `reminders` registers itself from that app's ready(); one
that only reads apps below `reminders` may be added here (see registry.py)."""

from portail.reminders.kinds import basket, invoice, offer, week  # noqa: F401 (registration)

__all__ = ["basket", "invoice", "offer", "week"]
