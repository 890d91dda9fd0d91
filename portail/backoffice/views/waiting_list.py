"""A session's waiting list, gestionnaire only (reservations.waiting): who waits, in which
order, the places offered and until when; move an entry (a reason required, kept in the
list's history and the staff's journal); "Book for this family": the entry goes first and
is offered the free place at once (held in the family's basket as any offer)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portail.activities.models import Session
from portail.backoffice import audit
from portail.backoffice.models import StaffActionKind
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.reservations import waiting, waiting_staff
from portail.reservations.waiting import WaitingRefused
from portail.reservations.waiting_models import (
    WaitingEvent,
    WaitingListEntry,
    WaitingStatus,
)

ACTIONS = ("move", "offer")
# What each WaitingEvent.kind says in the list's history.
EVENT_LABELS = {
    "joined": gettext_lazy("joined the list"),
    "left": gettext_lazy("left the list"),
    "offered": gettext_lazy("place offered"),
    "moved": gettext_lazy("moved by the service"),
    "not_eligible": gettext_lazy("taken off the list (can no longer book this day)"),
    WaitingStatus.DECLINED: gettext_lazy("offer declined"),
    WaitingStatus.EXPIRED: gettext_lazy("offer not taken in time"),
}


def _session(pk: int) -> Session:
    session = Session.objects.select_related("activity__site").filter(pk=pk).first()
    if session is None:
        raise Http404("No such session")
    return session


def _page(request: HttpRequest, session: Session, *, error: str = "", status: int = 200):
    entries = waiting.ranked_entries(session.pk)
    events = list(
        WaitingEvent.objects.filter(entry__session=session)
        .select_related("entry__child")
        .order_by("-created_at", "-pk")[:50]
    )
    for event in events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
    return render(
        request,
        "backoffice/waiting_list.html",
        {
            "session": session,
            "entries": entries,
            "waiting_count": sum(1 for entry in entries if entry.rank),
            "events": events,
            "error": error,
            "back_url": reverse("backoffice:sessions") + f"?seance={session.pk}",
        },
        status=status,
    )


def _read_rank(raw: str) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 6 else None


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD", "POST"])
def waiting_list_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(pk)
    if request.method != "POST":
        return _page(request, session)
    action = request.POST.get("action", "")
    entry_id = _read_rank(request.POST.get("entry", ""))
    reason = request.POST.get("reason", "")
    entry = (
        WaitingListEntry.objects.filter(pk=entry_id, session=session).select_related("child")
        if entry_id
        else None
    )
    entry = entry.first() if entry is not None else None
    if action not in ACTIONS or entry is None:
        return _page(request, session, error=_("Choose an entry of this list."), status=400)
    try:
        if action == "move":
            to_rank = _read_rank(request.POST.get("rank", ""))
            if to_rank is None:
                raise WaitingRefused("bad_rank", _("Give the new rank as a whole number."))
            waiting_staff.move(entry.pk, to_rank, reason=reason, actor=request.user)
            summary = _("Waiting list of %(day)s: %(child)s moved to rank %(rank)d.") % {
                "day": session.date.strftime("%d/%m/%Y"),
                "child": entry.child.first_name,
                "rank": to_rank,
            }
        else:
            waiting_staff.offer_now(entry.pk, reason=reason, actor=request.user)
            summary = _("Waiting list of %(day)s: place offered to %(child)s.") % {
                "day": session.date.strftime("%d/%m/%Y"),
                "child": entry.child.first_name,
            }
    except WaitingRefused as refused:
        return _page(request, session, error=refused.message, status=400)
    audit.log_action(
        actor=request.user,
        kind=StaffActionKind.SESSION_CHANGED,
        summary=summary,
        household=entry.household,
        reason=reason.strip()[:500],
    )
    messages.success(request, summary)
    return redirect(reverse("backoffice:waiting_list", args=[session.pk]))
