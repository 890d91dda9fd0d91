"""Signals the accounts app sends for others to act on (it imports none of them)."""

from django.dispatch import Signal

# Sent after an existing user's new password (or unusable password) is saved, whatever
# the way: password change, reset, activation, admin. Argument: user.
# The API revokes the user's tokens on it (portail/api/apps.py).
password_set = Signal()
