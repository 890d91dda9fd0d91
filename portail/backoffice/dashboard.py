"""The back office's home: what needs the service today, in a few queries.

- today's head counts per site (every role; an attendance agent, its own sites):
  children expected, sessions, closed sessions (headcounts.head_counts, the one count);
- for gestionnaires: PayFiP payments still pending, baskets about to lapse (open, their
  hold ending within LAPSING_MINUTES) and baskets being paid, requests waiting for action.
"""

import datetime
from dataclasses import dataclass

from portail.backoffice import headcounts
from portail.backoffice import requests as inbox
from portail.billing.models import Payment, PaymentState
from portail.reservations.models import Basket, BasketStatus

LAPSING_MINUTES = 10


@dataclass(frozen=True)
class SiteToday:
    site_id: int
    site: str
    sessions: int
    closed: int
    expected: int
    diets: int  # children expected with a special diet or a PAI


@dataclass(frozen=True)
class Money:
    pending_payments: int
    lapsing_baskets: int
    paying_baskets: int
    requests_waiting: int


def sites_today(today: datetime.date, *, site_ids=None, now=None) -> list[SiteToday]:  # noqa: ANN001
    """Today's head counts summed per site, sites by name."""
    per_site: dict[int, dict] = {}
    for count in headcounts.head_counts(today, today, site_ids=site_ids, now=now):
        row = per_site.setdefault(
            count.site_id,
            {"site": count.site, "sessions": 0, "closed": 0, "expected": 0, "diets": 0},
        )
        row["sessions"] += 1
        row["closed"] += 0 if count.is_open else 1
        row["expected"] += count.expected if count.is_open else 0
        row["diets"] += len(count.diet_children) if count.is_open else 0
    return sorted(
        (SiteToday(site_id, **row) for site_id, row in per_site.items()),
        key=lambda s: (s.site.lower(), s.site_id),
    )


def money_today(now: datetime.datetime) -> Money:
    """What the gestionnaire follows: four counts."""
    return Money(
        pending_payments=Payment.objects.filter(state=PaymentState.PENDING).count(),
        lapsing_baskets=Basket.objects.filter(
            status=BasketStatus.OPEN,
            expires_at__gt=now,
            expires_at__lte=now + datetime.timedelta(minutes=LAPSING_MINUTES),
        ).count(),
        paying_baskets=Basket.objects.filter(status=BasketStatus.AWAITING_PAYMENT).count(),
        requests_waiting=inbox.waiting_count(),
    )
