"""The suite's clock: every test runs at a fixed instant, never at the real date.

`NOW` is Tuesday 3 November 2026, 8:30 in Paris, an ordinary school day of zone C (the
Monday after the All Saints' holidays was the day before). Tests that place their days
"three weeks ahead of today" land on Monday 23 November, and the four weeks from there
(to Sunday 20 December) are all school weeks with no public holiday, so no test can find
itself in the holidays because of the day it runs.

`tests/conftest.py` travels there for the whole session and again at the start of each
test, with the clock ticking (time passes normally from `NOW`). A test that needs another
instant moves the clock itself with time-machine's `time_machine` fixture
(`time_machine.move_to(...)`), e.g. to one of `CALENDAR_EDGES`.

`.ci/run` also runs the suite with the machine's clock moved by libfaketime, to prove that
nothing reads the real clock around this one.
"""

import datetime
import zoneinfo

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime.datetime:
    return datetime.datetime(y, m, d, hh, mm, tzinfo=PARIS)


NOW = paris(2026, 11, 3, 8, 30)

# The instants where calendars break, for the tests that must hold on every day of the year
# (zone C; school year 2026-2027 runs from Tuesday 1 September 2026 to Friday 2 July 2027).
CALENDAR_EDGES: dict[str, datetime.datetime] = {
    "first school day": paris(2026, 9, 1, 7, 45),
    "all saints' holidays": paris(2026, 10, 28, 14, 0),
    "christmas holidays": paris(2026, 12, 24, 10, 0),
    "monday 00:30 in paris, sunday 23:30 utc": paris(2026, 11, 30, 0, 30),
    "winter holidays": paris(2027, 2, 15, 9, 0),
    "summer time starts": paris(2027, 3, 28, 3, 30),  # 2:00 became 3:00 that night
    "last school day": paris(2027, 7, 2, 17, 0),
    "summer break": paris(2027, 7, 22, 0, 30),  # 2027-07-21 22:30 UTC
    "end of august": paris(2027, 8, 30, 9, 0),
    # 3:00 became 2:00 that night: this is the first 2:30.
    "winter time starts": paris(2027, 10, 31, 2, 30),
    "29 february": paris(2028, 2, 29, 12, 0),
}
