"""What is already on an invoice is final: the one rule of corrections after billing.

An invoice line names the item it billed (InvoiceLine.attendance / .booking, and its
charge_key "attendance:<pk>", "booking:<pk>", "surcharge:<attendance pk>"). Once billed,
the facts the line was priced from cannot change any more: the mark of the child on that
day (present, absent, justified, present without booking), the booking itself (cancelled,
closed day). A change to such a fact is refused, all or nothing, with `AlreadyInvoiced`
(code "already_invoiced", a message naming the invoice); an amount billed by mistake is
corrected with a credit note (avoir) on that invoice, from the staff's invoice page.

The upper layers ask here before changing a fact (the attendance sheet and its marks, the
staff's cancellations for a family, the closing of a day); billing runs never bill an item
twice (charge_key is unique), so nothing else is needed on their side.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from portail.billing.models import InvoiceLine

CODE = "already_invoiced"


@dataclass(frozen=True)
class Billed:
    """The invoice an item is on."""

    invoice_id: int
    number: str
    kind: str  # ChargeKind of the line

    @property
    def message(self) -> str:
        return refusal_message(self.number, self.invoice_id)


def refusal_message(number: str, invoice_id: int) -> str:
    """Why a billed fact cannot change, and how it is corrected (translated)."""
    return _(
        "Already invoiced on invoice %(number)s: this can no longer change. A correction "
        "is made with a credit note on that invoice (staff invoice page %(url)s)."
    ) % {"number": number, "url": reverse("backoffice:invoice", args=[invoice_id])}


class AlreadyInvoiced(Exception):
    """A change to a billed fact was refused (nothing changed)."""

    code = CODE

    def __init__(self, billed: Billed) -> None:
        self.billed = billed
        self.message = billed.message
        super().__init__(self.message)


def _billed(line: dict) -> Billed:
    return Billed(line["invoice_id"], line["invoice__number"], line["kind"])


_FIELDS = ("invoice_id", "invoice__number", "kind", "attendance_id", "booking_id", "charge_key")


def billed_attendances(attendance_ids: Iterable[int]) -> dict[int, Billed]:
    """The attendances (marks) billed, by pk: a presence or a surcharge on an invoice."""
    ids = sorted({int(pk) for pk in attendance_ids})
    if not ids:
        return {}
    keys = [f"{prefix}:{pk}" for pk in ids for prefix in ("attendance", "surcharge")]
    found: dict[int, Billed] = {}
    lines = InvoiceLine.objects.filter(Q(attendance_id__in=ids) | Q(charge_key__in=keys))
    for line in lines.order_by("pk").values(*_FIELDS):
        pk = line["attendance_id"] or int(line["charge_key"].split(":", 1)[1])
        found.setdefault(pk, _billed(line))
    return found


def billed_bookings(booking_ids: Iterable[int]) -> dict[int, Billed]:
    """The bookings billed (a booked day, or a day booked and not used), by pk."""
    ids = sorted({int(pk) for pk in booking_ids})
    if not ids:
        return {}
    keys = [f"booking:{pk}" for pk in ids]
    found: dict[int, Billed] = {}
    lines = InvoiceLine.objects.filter(Q(booking_id__in=ids) | Q(charge_key__in=keys))
    for line in lines.order_by("pk").values(*_FIELDS):
        pk = line["booking_id"] or int(line["charge_key"].split(":", 1)[1])
        found.setdefault(pk, _billed(line))
    return found


def billed_on_session(session_id: int) -> Billed | None:
    """The first invoice billing anything of this day (None: nothing billed)."""
    line = (
        InvoiceLine.objects.filter(session_id=session_id)
        .order_by("invoice__issued_on", "pk")
        .values(*_FIELDS)
        .first()
    )
    return _billed(line) if line else None


def check_not_billed(*, attendance_ids: Iterable[int] = (), booking_ids: Iterable[int] = ()):
    """Raise AlreadyInvoiced when any of these marks or bookings is on an invoice."""
    for found in (billed_attendances(attendance_ids), billed_bookings(booking_ids)):
        for billed in found.values():
            raise AlreadyInvoiced(billed)


def annotations(source: str) -> dict[str, Subquery]:
    """For annotate() on Attendance (`source` "attendance") or Booking ("booking"): the
    invoice billing the row, as billed_invoice_id, billed_number and billed_kind (None
    when not billed), read in the same query."""
    lines = InvoiceLine.objects.filter(**{f"{source}_id": OuterRef("pk")}).order_by("pk")
    return {
        "billed_invoice_id": Subquery(lines.values("invoice_id")[:1]),
        "billed_number": Subquery(lines.values("invoice__number")[:1]),
        "billed_kind": Subquery(lines.values("kind")[:1]),
    }


def annotated(row) -> Billed | None:
    """The Billed of a row read with annotations() (None: not billed)."""
    if row is None or getattr(row, "billed_invoice_id", None) is None:
        return None
    return Billed(row.billed_invoice_id, row.billed_number, row.billed_kind)
