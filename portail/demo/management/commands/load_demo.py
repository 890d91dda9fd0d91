"""`portail load_demo [--if-empty]`: load (or refresh) the demo commune."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portail.activities.calendar import CalendarUnavailable
from portail.core.models import Organisation
from portail.demo.builder import build_demo, demo_logins


class Command(BaseCommand):
    help = (
        "Load the demo commune (Carcassonne Agglo (démo), household PAGES-TEST) with dates "
        "around today. Idempotent. Only in demo mode (PORTAIL_DEMO), never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when an organisation already exists (used by `make run`).",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if not settings.PORTAIL_DEMO:
            raise CommandError(
                "Demo mode is off (PORTAIL_DEMO is false, always in production): "
                "the demo commune and its logins are not loaded."
            )
        if if_empty and Organisation.objects.exists():
            self.stdout.write("An organisation already exists: the demo was not (re)loaded.")
        else:
            try:
                summary = build_demo()
            except CalendarUnavailable as error:
                raise CommandError(
                    f"The school calendar does not cover today's school year ({error}); "
                    "update the vacances-scolaires-france package."
                ) from error
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo commune loaded: {summary.organisation.name}, school days from "
                    f"{summary.school_year_start:%d/%m/%Y} to {summary.school_year_end:%d/%m/%Y}, "
                    f"{summary.households} households, {summary.children} children, "
                    f"{summary.enrolments} enrolments, {summary.activities} activities, "
                    f"{summary.sessions} sessions ({summary.sessions_created} new)."
                )
            )
            self._history()
        self.stdout.write("Demo logins:")
        for who, email, password in demo_logins():
            self.stdout.write(f"  {who}: {email} / {password}")

    def _history(self) -> None:
        """Past bookings and their history, when the reservations app can write them."""
        try:
            from portail.demo.history import build_demo_history
        except ImportError:
            return
        written = build_demo_history()
        if written:
            self.stdout.write(f"Demo history: {written} rows of past reservation history.")
