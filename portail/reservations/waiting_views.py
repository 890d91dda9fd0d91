"""The planning's waiting-list form (no JavaScript needed): POST child, session and
action "join" (a full block: "Join the waiting list") or "leave" (leave it, or decline the
place offered), then back to the planning's week (post/redirect/get). The rules are
waiting.py's, as for the API."""

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


def _id(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 18 else None


def _back(week: str) -> HttpResponse:
    url = reverse("reservations:planning")
    if WEEK_RE.fullmatch(week or ""):
        url += "?" + urlencode({"week": week})
    return redirect(url)


@require_http_methods(["POST"])
@guardian_required
def waiting_list_form(request: HttpRequest) -> HttpResponse:
    household: Household = request.household  # type: ignore[attr-defined]
    # From the planning's blocks: waitlist=join:<child>:<session> (a button of the page's
    # form); from a form of its own: child, session and action.
    parts = request.POST.get("waitlist", "").split(":")
    if len(parts) == 3:
        action, child, session = parts
    else:
        action, child, session = (request.POST.get(k, "") for k in ("action", "child", "session"))
    child_id, session_id = _id(child), _id(session)
    back = _back(request.POST.get("week", ""))
    if child_id is None or session_id is None or action not in ("join", "leave"):
        messages.error(request, _("Choose a day of the planning."))
        return back
    try:
        if action == "join":
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
            return back
        entry = WaitingListEntry.objects.filter(
            household=household,
            child_id=child_id,
            session_id=session_id,
            status__in=ACTIVE_WAITING_STATUSES,
        ).first()
        if entry is None:
            messages.error(request, _("This child is not on this day's waiting list."))
            return back
        waiting.leave(household, entry.pk, actor=request.user, channel=Channel.WEB)
        messages.success(request, _("Removed from the waiting list."))
    except waiting.WaitingRefused as refused:
        messages.error(request, refused.message)
    return back
