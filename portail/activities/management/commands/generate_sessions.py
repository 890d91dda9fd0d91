"""Create the sessions of activities from the French school calendar.

portail generate_sessions                       # every activity, current school year
portail generate_sessions --school-year 2026    # the school year starting in 2026
portail generate_sessions --activity 3 --activity 5 --from 2026-09-01 --to 2026-12-18
portail generate_sessions --prune               # also delete unused off-calendar sessions
"""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from portail.activities.calendar import (
    CalendarUnavailable,
    default_zone,
    generate_sessions,
    school_holidays,
    school_year_bounds,
    school_year_starting_in,
)
from portail.activities.models import Activity


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Invalid date {value!r}: expected YYYY-MM-DD.") from exc


class Command(BaseCommand):
    help = (
        "Create each activity's sessions on its weekdays, skipping public holidays and "
        "(unless the activity is open then) school holidays. Existing sessions are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--activity",
            action="append",
            type=int,
            dest="activities",
            metavar="ID",
            help="Only this activity (repeatable). Default: every activity.",
        )
        parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="First day.")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="Last day.")
        parser.add_argument(
            "--school-year",
            type=int,
            metavar="YYYY",
            help="The school year starting in September of YYYY.",
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete sessions in range the calendar would not create, unless in use.",
        )

    def handle(self, *args, **options) -> None:
        start, end = self._range(options)
        activities = Activity.objects.select_related("site__organisation").order_by("pk")
        if options["activities"]:
            wanted = set(options["activities"])
            activities = activities.filter(pk__in=wanted)
            unknown = wanted - {a.pk for a in activities}
            if unknown:
                raise CommandError(
                    f"Unknown activity id(s): {', '.join(map(str, sorted(unknown)))}"
                )
        activities = list(activities)
        zones = {
            a.site.organisation.school_zone for a in activities if not a.open_in_school_holidays
        }
        try:
            for zone in zones:  # fail before creating anything when the calendar is missing
                school_holidays(zone, start, end)
        except CalendarUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Sessions from {start:%Y-%m-%d} to {end:%Y-%m-%d}")
        totals = [0, 0, 0]
        for activity in activities:
            report = generate_sessions(activity, start, end, prune=options["prune"])
            totals[0] += report.created
            totals[1] += report.existing
            totals[2] += report.removed
            line = (
                f"{activity.pk} {activity}: {report.created} created, "
                f"{report.existing} already there, {len(report.skipped)} days closed"
            )
            if options["prune"]:
                line += f", {report.removed} removed"
            self.stdout.write(line)
            if report.kept_used:
                days = ", ".join(f"{d:%Y-%m-%d}" for d in report.kept_used)
                self.stdout.write(f"  kept (in use, off the calendar): {days}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Total: {totals[0]} created, {totals[1]} already there"
                + (f", {totals[2]} removed" if options["prune"] else "")
            )
        )

    def _range(self, options: dict) -> tuple[datetime.date, datetime.date]:
        start, end, year = options["start"], options["end"], options["school_year"]
        if year is not None and (start or end):
            raise CommandError("Give either --school-year or --from/--to, not both.")
        if (start is None) != (end is None):
            raise CommandError("--from and --to go together.")
        try:
            if start:
                start, end = _date(start), _date(end)
                if start > end:
                    raise CommandError("--from must not be after --to.")
                if (end - start).days > 800:
                    raise CommandError("The range may not exceed 800 days.")
                return start, end
            if year is not None:
                return school_year_starting_in(year, default_zone())
            return school_year_bounds(timezone.localdate(), default_zone())
        except CalendarUnavailable as exc:
            raise CommandError(str(exc)) from exc
