"""Sending the simulated notifications (urlnotif calls) that are due.

No timer in memory: each notification is a row with a due time. Whoever runs
send_due_notifications() first (the `payfip_simulator_flush` command, or the simulator's
own views, opportunistically) claims a row with a conditional UPDATE and sends it, so
several processes never send the same row twice. A row claimed by a process that died
before sending is claimable again after CLAIM_STALE.

Like PayFiP, the simulator does not retry: one call per row, its HTTP status recorded.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import requests
from django.db.models import Q
from django.utils import timezone

from portail.payfip_simulator.models import NotifyMethod, SimulatedNotification

logger = logging.getLogger("portail.payfip_simulator")

TIMEOUT_SECONDS = 5
CLAIM_STALE = timedelta(minutes=5)


def _claimable(now: datetime) -> Q:
    return Q(sent_at__isnull=True) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_STALE)
    )


def send_due_notifications(
    *, operation_id: int | None = None, now: datetime | None = None, limit: int = 50
) -> int:
    """Send the notifications due by `now` (of one operation, or all); how many were sent.

    Never call it inside a transaction: it makes HTTP calls, possibly to this very site.
    """
    now = now or timezone.now()
    due = SimulatedNotification.objects.filter(_claimable(now), due_at__lte=now)
    if operation_id is not None:
        due = due.filter(operation_id=operation_id)
    sent = 0
    for pk in list(due.order_by("due_at", "pk").values_list("pk", flat=True)[:limit]):
        claimed = SimulatedNotification.objects.filter(_claimable(now), pk=pk).update(
            claimed_at=timezone.now()
        )
        if claimed:
            deliver(SimulatedNotification.objects.select_related("operation").get(pk=pk))
            sent += 1
    return sent


def deliver(notification: SimulatedNotification) -> None:
    """One call to urlnotif with the idOp only, as PayFiP makes it; the outcome is stored."""
    payload = {"idOp": notification.operation.idop}
    status: int | None = None
    error = ""
    try:
        if notification.method == NotifyMethod.GET:
            response = requests.get(
                notification.url, params=payload, timeout=TIMEOUT_SECONDS, allow_redirects=False
            )
        else:
            response = requests.post(
                notification.url, data=payload, timeout=TIMEOUT_SECONDS, allow_redirects=False
            )
        status = response.status_code
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    logger.info(
        "Simulated PayFiP notification %s %s for %s: %s",
        notification.method,
        notification.url,
        payload["idOp"],
        status or error,
    )
    SimulatedNotification.objects.filter(pk=notification.pk).update(
        sent_at=timezone.now(), http_status=status, error=error
    )
