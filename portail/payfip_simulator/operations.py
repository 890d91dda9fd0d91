"""What the simulated PayFiP does for each operation, and when the parent decides.

Plain functions over the models; the views only translate HTTP to these and back.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from portail.payfip_simulator.models import (
    PURGE_AFTER,
    NotificationMode,
    Result,
    SimulatedNotification,
    SimulatedOperation,
    SimulatorBehaviour,
)


class OperationFault(Exception):
    """The operation is refused with this PayFiP code (sent back as a SOAP fault)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# Results the payment page can produce, with PayFiP's letters.
PAID_BY_CARD = Result.PAID_BY_CARD.value
PAID_BY_DIRECT_DEBIT = Result.PAID_BY_DIRECT_DEBIT.value
REFUSED_CARD = Result.REFUSED_CARD.value
REFUSED_DIRECT_DEBIT = Result.REFUSED_DIRECT_DEBIT.value
ABANDONED = Result.ABANDONED.value
RESULTS = tuple(Result.values)

MONTANT_MIN = 100
MONTANT_MAX = 10_000_000
URL_RE = re.compile(r"https?://\S{1,242}")
MEL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def is_own_address(url: str, own_base: str) -> bool:
    """True when `url` is on the portal's own address `own_base` (scheme://host[:port]
    [/prefix]): same scheme, same host and port, under its path. The simulator calls back
    and sends browsers nowhere else. Strict on purpose: no user part, no backslash (which
    browsers read as a slash), no other spelling of the host."""
    if not own_base or "\\" in url:
        return False
    own, parts = urlsplit(own_base), urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        return False
    if (parts.scheme.lower(), parts.netloc.lower()) != (own.scheme.lower(), own.netloc.lower()):
        return False
    prefix = own.path.rstrip("/")
    return parts.path == prefix or parts.path.startswith(prefix + "/")


def check_creation(fields: dict[str, str], own_base: str | None = None) -> None:
    """PayFiP's checks of creerPaiementSecurise, in a fixed order; OperationFault.

    With `own_base` (the portal's own address), urlnotif and urlredirect must be on it
    (N1, D1), as PayFiP only calls back the addresses of the site declared to it."""
    if not re.fullmatch(r"[0-9]{6}", fields["numcli"]):
        raise OperationFault("T1")
    if fields["saisie"] not in ("T", "X", "W"):
        raise OperationFault("S1")
    if not re.fullmatch(r"[0-9]{4}", fields["exer"]):
        raise OperationFault("E1")
    if not re.fullmatch(r"[0-9]{1,11}", fields["montant"]):
        raise OperationFault("M1")
    if int(fields["montant"]) < MONTANT_MIN:
        raise OperationFault("M3")
    if int(fields["montant"]) > MONTANT_MAX:
        raise OperationFault("M5")
    mel = fields["mel"]
    if not mel:
        raise OperationFault("A1")
    if not (6 <= len(mel) <= 80) or not mel.isascii() or not MEL_RE.fullmatch(mel):
        raise OperationFault("A2")
    if not re.fullmatch(r"[A-Za-z0-9]{6,30}", fields["refdet"]):
        raise OperationFault("R3")
    if not re.fullmatch(r"[A-Za-z0-9 ]{0,100}", fields.get("objet", "")):
        raise OperationFault("O1")
    if not URL_RE.fullmatch(fields["urlnotif"]):
        raise OperationFault("N1")
    if not URL_RE.fullmatch(fields["urlredirect"]):
        raise OperationFault("D1")
    if own_base is not None:
        if not is_own_address(fields["urlnotif"], own_base):
            raise OperationFault("N1")
        if not is_own_address(fields["urlredirect"], own_base):
            raise OperationFault("D1")


def create_operation(fields: dict[str, str], own_base: str | None = None) -> SimulatedOperation:
    """creerPaiementSecurise: check, store, and hand out a fresh idOp (a UUID).

    `own_base`: the portal's own address; urlnotif and urlredirect must be on it (the
    SOAP endpoint always gives it, so nobody can make the simulator call other sites)."""
    check_creation(fields, own_base)
    return SimulatedOperation.objects.create(
        idop=str(uuid.uuid4()),
        numcli=fields["numcli"],
        exer=fields["exer"],
        refdet=fields["refdet"],
        montant_cents=int(fields["montant"]),
        mel=fields["mel"],
        objet=fields.get("objet", ""),
        saisie=fields["saisie"],
        urlnotif=fields["urlnotif"],
        urlredirect=fields["urlredirect"],
    )


def detail_fields(idop: str, now: datetime | None = None) -> list[tuple[str, str]]:
    """recupererDetailPaiementSecurise's <return>, in PayFiP's order; OperationFault.

    P1 for an unknown idOp, or an unfinished one older than a day (PayFiP purges them
    at night); P5 while the parent has not finished (also after the page expired).
    """
    now = now or timezone.now()
    operation = SimulatedOperation.objects.filter(idop=idop).first()
    if operation is None:
        raise OperationFault("P1")
    if not operation.resultrans:
        if operation.created_at < now - PURGE_AFTER:
            raise OperationFault("P1")
        raise OperationFault("P5")
    at = timezone.localtime(operation.result_at)
    fields = [
        ("dattrans", at.strftime("%d%m%Y")),
        ("exer", operation.exer),
        ("heurtrans", at.strftime("%H%M")),
        ("idOp", operation.idop),
        ("mel", operation.mel),
        ("montant", str(operation.montant_cents)),
        ("numauto", operation.numauto),
        ("numcli", operation.numcli),
        ("objet", operation.objet),
        ("refdet", operation.refdet),
        ("resultrans", operation.resultrans),
        ("saisie", operation.saisie),
    ]
    # Like PayFiP's (JAX-WS) answers, empty optional values are left out.
    return [(name, value) for name, value in fields if value or name not in {"numauto", "objet"}]


def client_fields(numcli: str) -> list[tuple[str, str]]:
    """recupererDetailClient's <return> for any well-formed client number."""
    if not re.fullmatch(r"[0-9]{6}", numcli):
        raise OperationFault("T1")
    return [
        ("libelleN1", "COMMUNE SIMULEE"),
        ("libelleN2", "REGIE RESTAURATION ET LOISIRS"),
        ("libelleN3", "SIMULATEUR PAYFIP"),
        ("numcli", numcli),
    ]


# --- The payment page -------------------------------------------------------------------


class PageRefusal(Exception):
    """The payment page cannot be used for this idOp: P1, P3 or P4."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def operation_for_page(
    idop: str, now: datetime | None = None, own_base: str | None = None
) -> SimulatedOperation:
    """The operation the page may show: known (P1), unused (P3), within 15 minutes (P4).

    With `own_base`, an operation whose urlnotif or urlredirect is not on the portal's own
    address is unknown too (P1): the page never sends a browser, or a notification,
    anywhere else."""
    now = now or timezone.now()
    operation = SimulatedOperation.objects.filter(idop=idop).first() if idop else None
    if operation is None:
        raise PageRefusal("P1")
    if own_base is not None and not (
        is_own_address(operation.urlnotif, own_base)
        and is_own_address(operation.urlredirect, own_base)
    ):
        raise PageRefusal("P1")
    if operation.resultrans:
        raise PageRefusal("P3")
    if now > operation.page_expires_at():
        raise PageRefusal("P4")
    return operation


def mark_opened(operation: SimulatedOperation, now: datetime | None = None) -> None:
    SimulatedOperation.objects.filter(pk=operation.pk, opened_at__isnull=True).update(
        opened_at=now or timezone.now()
    )


def finish(
    operation: SimulatedOperation,
    resultrans: str,
    notification: str = "",
    now: datetime | None = None,
) -> bool:
    """Record the parent's result once and schedule the notifications.

    The update only applies while the operation has no result, so two submissions of the
    page (two tabs, a double click, two processes) cannot both count: the second gets
    False. `notification` overrides the operation's and the global switch when given.
    """
    if resultrans not in RESULTS:
        raise ValueError(f"unknown result {resultrans!r}")
    now = now or timezone.now()
    numauto = f"{secrets.randbelow(1_000_000):06d}" if resultrans == PAID_BY_CARD else ""
    with transaction.atomic():
        values = {"resultrans": resultrans, "result_at": now, "numauto": numauto}
        if notification:
            values["notification"] = notification
        updated = SimulatedOperation.objects.filter(pk=operation.pk, resultrans="").update(**values)
        if not updated:
            return False
        operation.refresh_from_db()
        schedule_notifications(operation, now)
    return True


def schedule_notifications(operation: SimulatedOperation, now: datetime) -> int:
    """The urlnotif calls this payment gets, as rows with a due time (none for "never")."""
    behaviour = SimulatorBehaviour.current()
    mode = operation.notification or behaviour.notification
    if mode == NotificationMode.NEVER:
        return 0
    due = [now]
    if mode == NotificationMode.TWICE:
        due = [now, now]
    elif mode == NotificationMode.LATE:
        due = [now + timedelta(seconds=behaviour.late_seconds)]
    SimulatedNotification.objects.bulk_create(
        SimulatedNotification(
            operation=operation, url=operation.urlnotif, method=behaviour.notify_method, due_at=at
        )
        for at in due
    )
    return len(due)


def redirect_url(operation: SimulatedOperation) -> str:
    """urlredirect with the idOp, as PayFiP sends the browser back."""
    separator = "&" if "?" in operation.urlredirect else "?"
    return f"{operation.urlredirect}{separator}idop={operation.idop}"
