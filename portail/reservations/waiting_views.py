"""The planning's waiting-list form (no JavaScript needed): POST child, session and
action "join" (a full block: "Join the waiting list") or "leave" (leave it, or decline the
place offered), or waitlist=join:<child>:<session> values (the planning's block buttons,
the typical week's full days), then back to the planning's week (post/redirect/get). The
rules are waiting.py's, as for the API."""

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.families.guardians import guardian_required
from portail.families.models import Household
from portail.reservations import waiting
from portail.reservations.models import Channel
from portail.reservations.waiting_models import ACTIVE_WAITING_STATUSES, WaitingListEntry

WEEK_RE = re.compile(r"[0-9]{4}-W[0-9]{2}")
MAX_DAYS = 400  # a typical week's full days over a school year


def _id(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def _back(week: str) -> HttpResponse:
    url = reverse("reservations:planning")
    if WEEK_RE.fullmatch(week or ""):
        url += "?" + urlencode({"week": week})
    return redirect(url)


def _asked(request: HttpRequest) -> list[tuple[str, int | None, int | None]]:
    """(action, child id, session id) of each day asked: waitlist=join:<child>:<session>
    (the planning's block buttons, the typical week's full days: several at once), or the
    fields action, child and session of a form of its own."""
    values = request.POST.getlist("waitlist")[:MAX_DAYS]
    triples = [v.split(":") for v in values]
    if not values:
        triples = [[request.POST.get(k, "") for k in ("action", "child", "session")]]
    return [(t[0], _id(t[1]), _id(t[2])) if len(t) == 3 else ("", None, None) for t in triples]


@require_http_methods(["POST"])
@guardian_required
def waiting_list_form(request: HttpRequest) -> HttpResponse:
    household: Household = request.household  # type: ignore[attr-defined]
    back = _back(request.POST.get("week", ""))
    asked = _asked(request)
    if any(c is None or s is None or a not in ("join", "leave") for a, c, s in asked):
        messages.error(request, _("Choose a day of the planning."))
        return back
    for action, child_id, session_id in asked:
        try:
            if action == "join":
                _join(request, household, child_id, session_id)
            else:
                _leave(request, household, child_id, session_id)
        except waiting.WaitingRefused as refused:
            messages.error(request, refused.message)
    return back


def _join(request: HttpRequest, household: Household, child_id: int, session_id: int) -> None:
    entry = waiting.join(
        household,
        child_id=child_id,
        session_id=session_id,
        actor=request.user,
        channel=Channel.WEB,
    )
    messages.success(
        request,
        _("%(child)s is on the waiting list for %(date)s (rank %(rank)d).")
        % {
            "child": entry.child.first_name,
            "date": formats.date_format(entry.session.date, "SHORT_DATE_FORMAT"),
            "rank": entry.rank,
        },
    )


def _leave(request: HttpRequest, household: Household, child_id: int, session_id: int) -> None:
    entry = WaitingListEntry.objects.filter(
        household=household,
        child_id=child_id,
        session_id=session_id,
        status__in=ACTIVE_WAITING_STATUSES,
    ).first()
    if entry is None:
        messages.error(request, _("This child is not on this day's waiting list."))
        return
    waiting.leave(household, entry.pk, actor=request.user, channel=Channel.WEB)
    messages.success(request, _("Removed from the waiting list."))
