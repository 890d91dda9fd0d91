from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """E-mail reminders a guardian can turn off, sent by `portail send_reminders`
    (docs/reminders.md). The kinds are registered in registry.py; the built-in ones are
    imported here, so the registry is complete before any command or page reads it."""

    name = "portail.reminders"
    label = "reminders"

    def ready(self) -> None:
        from portail.reminders import kinds  # noqa: F401 (registers the built-in kinds)
