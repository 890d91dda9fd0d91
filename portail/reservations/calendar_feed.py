"""A guardian's private calendar feed (iCalendar, RFC 5545) of the children's bookings.

Parents subscribe to a secret address in their phone's calendar and see the days that
are booked and paid ("Réservé(e)"). The address carries a random secret: whoever has it
can read the feed without logging in, so it is shown once, can be replaced at any time
(the old address then answers 404) and only its SHA-256 hash is stored.

Upcoming booking deadlines of the weeks the children are enrolled in are events too
("Bookings for the week of 14/12: until Tuesday 08/12 at 23:59", week_deadlines.py), at the
deadline, with an alarm PORTAIL_REMINDER_WEEK_BEFORE_HOURS before it.

The calendar is written with the `icalendar` library (line folding, escaping, CRLF and
the VTIMEZONE for Europe/Paris are its job).
"""

import datetime
import hashlib
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from icalendar import Alarm, Calendar, Event

from portail.accounts.emails import user_language
from portail.core.base_url import DEVELOPMENT_DEFAULT
from portail.core.money import format_cents
from portail.families.models import CalendarFeed, Guardian
from portail.reservations.models import Booking, BookingStatus
from portail.reservations.week_deadlines import household_deadlines

# How far back the feed goes: calendars keep what they already have, and a long past
# only makes every refresh heavier.
PAST_DAYS = 92
# Reading the feed records when it was last read, at most this often (no write per read).
LAST_USED_EVERY = datetime.timedelta(hours=1)
PRODID = "-//Portail Famille//Calendar feed//FR"
# How many weeks ahead the booking deadlines are shown.
DEADLINE_WEEKS = 6


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed(guardian: Guardian) -> str:
    """Make (or replace) the guardian's feed; returns the secret, to show once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            guardian=guardian,
            defaults={
                "token_hash": _hash(token),
                "created_at": timezone.now(),
                "last_used_at": None,
            },
        )
    return token


def delete_feed(guardian: Guardian) -> bool:
    """Stop the feed: its address answers 404 from now on. True when there was one."""
    deleted, _ = CalendarFeed.objects.filter(guardian=guardian).delete()
    return bool(deleted)


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed whose secret is `token`, with its guardian; None for anything else."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("guardian__user", "guardian__household")
        .filter(token_hash=_hash(token), guardian__user__is_active=True)
        .first()
    )


def mark_used(feed: CalendarFeed, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)


def _uid_domain() -> str:
    """The portal's host name, so that UIDs are unique worldwide (RFC 5545 3.8.4.7).

    Not the request's host (PORTAIL_BASE_URL may be empty in development): a UID must not
    change with the address the feed is fetched from."""
    base = settings.PORTAIL_BASE_URL or ("" if settings.PRODUCTION else DEVELOPMENT_DEFAULT)
    host = urlsplit(base).hostname if base else None
    return host or "portail-famille.invalid"


def feed_bookings(guardian: Guardian, today: datetime.date | None = None) -> list[Booking]:
    """The household's paid bookings ("reserved") from PAST_DAYS ago on."""
    today = today or timezone.localdate()
    return list(
        Booking.objects.filter(
            child__household_id=guardian.household_id,
            status=BookingStatus.RESERVED,
            session__date__gte=today - datetime.timedelta(days=PAST_DAYS),
        )
        .select_related("child", "session__activity__site")
        .order_by("session__date", "session__activity__start_time", "child__first_name", "pk")
    )


def build_calendar(
    guardian: Guardian,
    *,
    organisation_name: str = "",
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF), in the guardian's language."""
    now = now or timezone.now()
    paris = timezone.get_default_timezone()
    domain = _uid_domain()
    with translation.override(user_language(guardian.user)):
        name = gettext("Bookings – %(household)s") % {"household": guardian.household.name}
        if organisation_name:
            name = f"{name} ({organisation_name})"
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", str(paris))
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"}
        )
        for booking in feed_bookings(guardian, today):
            calendar.add_component(_event(booking, domain, now, paris))
        for monday, closes, names in household_deadlines(
            guardian.household_id, now, DEADLINE_WEEKS
        ):
            calendar.add_component(_deadline_event(guardian, monday, closes, names, domain, now))
        calendar.add_missing_timezones()
    return calendar.to_ical()


def _event(booking: Booking, domain: str, now: datetime.datetime, paris) -> Event:
    session = booking.session
    activity = session.activity
    child = booking.child
    event = Event()
    event.add("uid", f"booking-{booking.pk}@{domain}")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("last-modified", booking.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", datetime.datetime.combine(session.date, activity.start_time, paris))
    event.add("dtend", datetime.datetime.combine(session.date, activity.end_time, paris))
    event.add("summary", f"{activity.name} – {child.first_name}")
    location = activity.site.name
    if activity.site.address:
        location = f"{location}, {' '.join(activity.site.address.split())}"
    event.add("location", location)
    lines = [
        gettext("Reserved") + f" – {child.last_name} {child.first_name}",
        gettext("Price: %(price)s") % {"price": format_cents(booking.price_cents)},
    ]
    if not session.is_open:
        lines.append(
            gettext("Closed by the service: %(reason)s") % {"reason": session.closed_reason}
        )
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED" if session.is_open else "CANCELLED")
    event.add("transp", "TRANSPARENT")  # the child's day: it does not make the parent busy
    return event


def _deadline_event(guardian, monday, closes, names, domain, now) -> Event:
    """The moment a week's bookings close (at the normal price), with an alarm before."""
    closes = timezone.localtime(closes)
    stamp = closes.astimezone(datetime.UTC).strftime("%Y%m%dT%H%MZ")
    event = Event()
    event.add("uid", f"deadline-{guardian.household_id}-{monday.isoformat()}-{stamp}@{domain}")
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", closes)  # no end: an instant (RFC 5545 3.6.1)
    event.add(
        "summary",
        gettext("Bookings for the week of %(monday)s: until %(day)s at %(time)s")
        % {
            "monday": formats.date_format(monday, "d/m"),
            "day": formats.date_format(closes, "l d/m"),
            "time": formats.date_format(closes, "H:i"),
        },
    )
    event.add("description", "\n".join(names))
    event.add("transp", "TRANSPARENT")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", event["summary"])
    alarm.add("trigger", -datetime.timedelta(hours=settings.PORTAIL_REMINDER_WEEK_BEFORE_HOURS))
    event.add_component(alarm)
    return event
