"""Files for other tools: head counts as CSV or XLSX (the kitchen's order), money received
as CSV (the régie).

CSV files are what French spreadsheets open directly: UTF-8 with a byte order mark,
semicolon-separated. No cell is ever read as a formula (names, reasons and references are
typed by families and staff): `neutralise()` puts a single quote before a text starting
with =, +, -, @, a tab or a carriage return in every CSV cell (csv_bytes, the one CSV
writer), and XLSX text cells are written as strings, never formulas (`_text_cell`).
Amounts come twice: in cents (an integer, for imports) and written
as money (core.money.format_cents, for people). XLSX files are written by openpyxl in
write-only mode (constant memory, whatever the number of rows).
"""

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portail.backoffice.headcounts import HeadCount
from portail.backoffice.regie import Receipts
from portail.core.money import format_cents

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What makes a spreadsheet read a cell as a formula (or run DDE) when it starts with it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text starting like a formula, with a single quote before it; anything else as is
    (numbers stay numbers: -370 is an amount, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[object]]) -> bytes:
    """The one CSV writer of the exports: every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _text_cell(sheet, value: object) -> object:
    """A text is written as a string cell (openpyxl would store "=..." as a formula)."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


# --- head counts -----------------------------------------------------------------------------


def headcount_header() -> list[str]:
    return [
        _("Date"),
        _("Site"),
        _("Activity"),
        _("Start"),
        _("End"),
        _("Day"),
        _("Capacity"),
        _("Reserved"),
        _("Awaiting payment"),
        _("Expected"),
        _("Places left"),
        _("Special diet"),
        _("PAI"),
        _("Special diets"),
    ]


def _day_state(row: HeadCount) -> str:
    if row.is_open:
        return _("Open")
    return _("Closed: %(reason)s") % {"reason": row.closed_reason}


def headcount_values(row: HeadCount) -> list[object]:
    """One line of the export; the date as a date (the CSV writes it DD/MM/YYYY)."""
    return [
        row.date,
        row.site,
        row.activity,
        _time(row.start),
        _time(row.end),
        _day_state(row),
        row.capacity,
        row.reserved,
        row.requested,
        row.expected,
        row.places_left,
        row.special_diet,
        row.pai,
        row.diets_text,
    ]


def headcounts_csv(counts: list[HeadCount]) -> bytes:
    def lines():
        yield headcount_header()
        for row in counts:
            values = headcount_values(row)
            values[0] = row.date.strftime("%d/%m/%Y")
            yield values

    return csv_bytes(lines())


def headcounts_xlsx(counts: list[HeadCount], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Head counts")[:31])
    sheet.freeze_panes = "A2"
    for column, width in zip(
        "ABCDEFGHIJKLMN", (12, 24, 32, 8, 8, 16, 10, 10, 12, 10, 12, 12, 8, 40), strict=True
    ):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)
    header = []
    for label in headcount_header():
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in counts:
        values = headcount_values(row)
        date_cell = WriteOnlyCell(sheet, value=row.date)
        date_cell.number_format = "DD/MM/YYYY"
        sheet.append([date_cell, *(_text_cell(sheet, value) for value in values[1:])])
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- money received (the régie) ----------------------------------------------------------------


def receipts_csv(report: Receipts) -> bytes:
    def lines():
        yield [
            _("Date"),
            _("Time"),
            _("Means of payment"),
            _("Debt reference (refdet)"),
            _("PayFiP operation id (idOp)"),
            _("Authorisation number or reference"),
            _("Household"),
            _("Household number"),
            _("Basket"),
            _("Amount (cents)"),
            _("Amount"),
        ]
        for row in report.rows:
            at = timezone.localtime(row.at)
            yield [
                at.strftime("%d/%m/%Y"),
                at.strftime("%H:%M"),
                row.means,
                row.reference if row.source == "payfip" else "",
                row.idop,
                row.authorisation,
                row.household,
                row.household_id,
                row.basket,
                row.amount_cents,
                format_cents(row.amount_cents),
            ]
        yield []
        period = _("From %(start)s to %(end)s") % {
            "start": formats.date_format(report.start, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(report.end, "SHORT_DATE_FORMAT"),
        }
        yield [period]
        yield [
            _("Total by means of payment"),
            "",
            "",
            "",
            "",
            "",
            "",
            _("Count"),
            "",
            _("Amount (cents)"),
            _("Amount"),
        ]
        for means, count, cents in report.totals():
            yield [means, "", "", "", "", "", "", count, "", cents, format_cents(cents)]
        yield [
            _("Total received"),
            "",
            "",
            "",
            "",
            "",
            "",
            len(report.rows),
            "",
            report.total_cents,
            format_cents(report.total_cents),
        ]

    return csv_bytes(lines())
