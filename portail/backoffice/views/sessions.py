"""Sessions (the days of each activity), gestionnaire only: a day's or week's sessions
with their places, and for one session, its capacity and its closing."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from portail.activities.models import Session
from portail.backoffice import headcounts, reopening, sessions
from portail.backoffice.households import Refused
from portail.backoffice.operation_forms import CapacityForm, CloseForm, DayForm
from portail.backoffice.permissions import GESTIONNAIRE, require_role, sites_for
from portail.backoffice.session_forms import ReopenForm
from portail.core.money import format_cents
from portail.reservations.models import Attendance


def detail_url(session: Session) -> str:
    return reverse("backoffice:sessions") + "?" + urlencode({"seance": session.pk})


def _get_session(pk: object) -> Session:
    try:
        return Session.objects.select_related("activity__site").get(pk=int(pk))
    except (TypeError, ValueError, Session.DoesNotExist):
        raise Http404("No such session") from None


def _list(request: HttpRequest) -> HttpResponse:
    sites = sites_for(request.user)
    form = DayForm(request.GET or None, sites=sites, periods=("day", "week"))
    day, period, site = form.chosen()
    start, end = headcounts.period_range(day, period)
    site_ids = [site.pk] if site is not None else None
    counts = headcounts.head_counts(start, end, site_ids=site_ids)
    return render(
        request,
        "backoffice/sessions.html",
        {"form": form, "days": headcounts.by_day(counts), "start": start, "end": end},
        status=400 if form.has_errors else 200,
    )


def _render_detail(
    request: HttpRequest,
    session: Session,
    *,
    capacity_form: CapacityForm | None = None,
    close_form: CloseForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    count = headcounts.session_count(session)
    return render(
        request,
        "backoffice/sessions_detail.html",
        {
            "session": session,
            "count": count,
            "has_attendance": Attendance.objects.filter(session=session).exists(),
            "capacity_form": capacity_form
            or CapacityForm(prefix="capacity", initial={"capacity": session.capacity}),
            "close_form": close_form or CloseForm(prefix="close"),
            "reopen_form": reopen_form or ReopenForm(prefix="reopen"),
            "back_url": reverse("backoffice:sessions")
            + "?"
            + urlencode({"date": session.date.isoformat()}),
        },
        status=status,
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def sessions_page(request: HttpRequest) -> HttpResponse:
    """GET ?date=&period=&site=: the sessions; ?seance=<id>: one session's forms."""
    if request.GET.get("seance"):
        return _render_detail(request, _get_session(request.GET["seance"]))
    return _list(request)


@require_role(GESTIONNAIRE)
@require_http_methods(["POST"])
def session_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    form = CapacityForm(request.POST, prefix="capacity")
    if form.is_valid():
        try:
            change = sessions.change_capacity(
                session, form.cleaned_data["capacity"], actor=request.user
            )
        except Refused as refusal:
            form.add_error("capacity", refusal.message)
        else:
            messages.success(
                request,
                _("Capacity saved: %(capacity)d places, %(left)d left.")
                % {"capacity": change.capacity, "left": change.places_left},
            )
            return redirect(detail_url(session))
    return _render_detail(request, session, capacity_form=form, status=400)


@require_role(GESTIONNAIRE)
@require_http_methods(["POST"])
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    form = CloseForm(request.POST, prefix="close")
    if form.is_valid():
        try:
            closure = sessions.close_session(
                session, form.cleaned_data["reason"], actor=request.user
            )
        except Refused as refusal:
            form.add_error("reason" if refusal.field == "reason" else None, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Day closed: %(cancelled)d booking cancelled (%(credit)s credited), "
                    "%(withdrawn)d request withdrawn, %(families)d family e-mailed.",
                    "Day closed: %(cancelled)d bookings cancelled (%(credit)s credited), "
                    "%(withdrawn)d requests withdrawn, %(families)d families e-mailed.",
                    closure.cancelled + closure.withdrawn,
                )
                % {
                    "cancelled": closure.cancelled,
                    "credit": format_cents(closure.credited_cents),
                    "withdrawn": closure.withdrawn,
                    "families": len(closure.households),
                },
            )
            return redirect(detail_url(session))
    return _render_detail(request, session, close_form=form, status=400)


@require_role(GESTIONNAIRE)
@require_http_methods(["POST"])
def session_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(pk)
    form = ReopenForm(request.POST, prefix="reopen")
    if form.is_valid():
        try:
            result = reopening.reopen_session(session, actor=request.user)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _(
                    "Day reopened: %(restored)d booking(s) booked again (%(credit)s of credit "
                    "taken back), %(kept)d left cancelled and credited, %(families)d "
                    "family(ies) e-mailed."
                )
                % {
                    "restored": len(result.restored),
                    "credit": format_cents(result.taken_back_cents),
                    "kept": len(result.kept),
                    "families": len(result.households),
                },
            )
            return redirect(detail_url(session))
    return _render_detail(request, session, reopen_form=form, status=400)
