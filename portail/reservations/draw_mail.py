"""The e-mail of a booking window's draw (draws.py), sent once the draw is committed: each
household that asked learns its rank and what it was given, each guardian in their own
language, the copy kept in "Mes documents" (families.messaging)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portail.accounts.emails import absolute_url
from portail.activities.models import DrawEntry, DrawOutcome
from portail.families import messaging
from portail.families.models import Document
from portail.reservations.models import Basket, BasketStatus


def notify_draw(window_id: int) -> None:
    entries = (
        DrawEntry.objects.filter(window_id=window_id, rank__isnull=False)
        .select_related("window", "household")
        .prefetch_related("requests__child", "requests__session__activity")
        .order_by("rank")
    )
    total = entries.count()
    for entry in entries:
        notify_entry(entry, total)


def notify_entry(entry: DrawEntry, total: int) -> None:
    """E-mail the household its rank and each day's outcome."""
    basket = (
        Basket.objects.filter(household=entry.household, status=BasketStatus.OPEN)
        .order_by("-pk")
        .first()
    )
    requests = list(entry.requests.all())
    given = any(r.outcome == DrawOutcome.GIVEN for r in requests)

    def write() -> tuple[str, str]:
        values = {
            "window": entry.window.name,
            "rank": entry.rank,
            "total": total,
            "page": absolute_url(reverse("reservations:draw_status")),
            "basket": absolute_url(reverse("reservations:basket")),
        }
        lines = [
            _("The draw for “%(window)s” was made: your request came %(rank)s out of %(total)s.")
            % values
        ]
        for r in requests:
            day = _("%(child)s – %(activity)s, %(date)s: %(outcome)s") % {
                "child": r.child.first_name,
                "activity": r.session.activity.name,
                "date": formats.date_format(r.session.date, "SHORT_DATE_FORMAT"),
                "outcome": r.get_outcome_display(),
            }
            lines.append(f"- {day}" + (f" ({r.reason})" if r.reason else ""))
        if given and basket is not None and basket.expires_at is not None:
            until = formats.date_format(
                timezone.localtime(basket.expires_at), "SHORT_DATETIME_FORMAT"
            )
            lines.append(
                _(
                    "The days given are held in your basket until %(until)s: pay or validate "
                    "it by then to confirm them. Your basket: %(basket)s"
                )
                % {**values, "until": until}
            )
        lines.append(_("Where your request stands: %(page)s") % values)
        return _("Draw for “%(window)s”: your result") % values, "\n\n".join(lines)

    messaging.send_to_household_in_languages(
        entry.household, kind=Document.Kind.MESSAGE, write=write
    )
