"""English dates as the portal writes them: day before month, 24-hour clock, like the
French ones (a family reading both languages, and staff, never wonder whether 01/12 is
January or December). Django's own English is American (m/d/Y, a.m./p.m.).
Read through settings.FORMAT_MODULE_PATH."""

DATE_FORMAT = "j F Y"  # 12 January 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 12/01/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
