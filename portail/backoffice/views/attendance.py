"""Attendance (pointage), made for a tablet: the day's sessions on the agent's sites, then
one sheet per session with a big radio group per child, sent as one form.

A gestionnaire marks on every site, an attendance agent on its own sites only; the agent
never sees an amount (the late price due for a child present without booking is shown to
gestionnaires only). An agent's "absent, medical certificate handed in" credits nothing:
the gestionnaire's sheet shows it awaiting a decision, with a button that justifies it
(justify_absence: the price credited once).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_http_methods

from portail.activities.models import Session
from portail.backoffice import headcounts
from portail.backoffice.attendance.justified import justify_absence
from portail.backoffice.attendance.marks import MarksRefused, record_marks
from portail.backoffice.attendance.sheet import Mark, attendance_sheet
from portail.backoffice.operation_forms import DayForm
from portail.backoffice.permissions import (
    GESTIONNAIRE,
    POINTAGE,
    can_justify_absence,
    can_record_attendance,
    can_see_money,
    require_role,
    sites_for,
)
from portail.core.grammar import of_name
from portail.core.money import format_cents
from portail.reservations.models import Attendance

FIELD_PREFIX = "mark-"


def sheet_url(session: Session) -> str:
    return reverse("backoffice:attendance") + "?" + urlencode({"seance": session.pk})


def _session_for(request: HttpRequest, pk: object) -> Session:
    """The session `pk` if the user may record on its site (404 unknown, 403 elsewhere)."""
    try:
        session = Session.objects.select_related("activity__site").get(pk=int(pk))
    except (TypeError, ValueError, Session.DoesNotExist):
        raise Http404("No such session") from None
    if not can_record_attendance(request.user, session.activity.site_id):
        raise PermissionDenied("Not one of this agent's sites")
    return session


def _day_list(request: HttpRequest) -> HttpResponse:
    sites = sites_for(request.user)
    form = DayForm(request.GET or None, sites=sites, periods=("day",))
    day, _period, site = form.chosen()
    site_ids = [site.pk] if site is not None else list(sites.values_list("pk", flat=True))
    counts = headcounts.head_counts(day, day, site_ids=site_ids)
    marked = dict(
        Attendance.objects.filter(session_id__in=[c.session_id for c in counts])
        .order_by()
        .values_list("session_id")
        .annotate(n=Count("pk"))
    )
    rows = [(count, marked.get(count.session_id, 0)) for count in counts]
    return render(
        request,
        "backoffice/attendance.html",
        {
            "form": form,
            "day": day,
            "rows": rows,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
        },
        status=400 if form.has_errors else 200,
    )


def _render_sheet(
    request: HttpRequest,
    session: Session,
    *,
    errors: dict[int, str] | None = None,
    chosen: dict[int, str] | None = None,
    summary: str = "",
    status: int = 200,
) -> HttpResponse:
    sheet = attendance_sheet(session, viewer=request.user)
    errors = errors or {}
    chosen = chosen or {}
    rows = [
        {
            "row": row,
            "field": f"{FIELD_PREFIX}{row.child.pk}",
            "value": chosen.get(row.child.pk, row.mark or ""),
            "error": errors.get(row.child.pk, ""),
        }
        for row in sheet.rows
    ]
    return render(
        request,
        "backoffice/attendance_sheet.html",
        {
            "sheet": sheet,
            "session": sheet.session,
            "booked_rows": rows[: len(sheet.booked)],
            "unbooked_rows": rows[len(sheet.booked) :],
            "errors": [(r["field"], r["row"].child, r["error"]) for r in rows if r["error"]],
            "summary": summary,
            "show_money": can_see_money(request.user),
            "can_justify": can_justify_absence(request.user),
            "back_url": reverse("backoffice:attendance")
            + "?"
            + urlencode({"date": sheet.session.date.isoformat()}),
        },
        status=status,
    )


@require_role(GESTIONNAIRE, POINTAGE)
@require_http_methods(["GET", "HEAD"])
def attendance_page(request: HttpRequest) -> HttpResponse:
    """GET ?date=&site=: the day's sessions; ?seance=<id>: that session's sheet."""
    if request.GET.get("seance"):
        return _render_sheet(request, _session_for(request, request.GET["seance"]))
    return _day_list(request)


@require_role(GESTIONNAIRE, POINTAGE)
@require_http_methods(["POST"])
def attendance_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the marks chosen on the sheet (children left without a choice are skipped)."""
    session = _session_for(request, pk)
    chosen: dict[int, str] = {}
    bad: dict[int, str] = {}
    for name, value in request.POST.items():
        if not name.startswith(FIELD_PREFIX) or not value:
            continue
        try:
            child_id = int(name[len(FIELD_PREFIX) :])
        except ValueError:
            continue
        if value not in Mark.values:
            bad[child_id] = _("Unknown mark.")
        chosen[child_id] = value
    if bad:
        return _render_sheet(
            request, session, errors=bad, chosen=chosen, summary=_nothing(), status=400
        )
    if not chosen:
        messages.warning(request, _("No mark was chosen: nothing was recorded."))
        return redirect(sheet_url(session))
    try:
        results = record_marks(session, list(chosen.items()), actor=request.user)
    except MarksRefused as refusal:
        return _render_sheet(
            request,
            session,
            errors=refusal.errors,
            chosen=chosen,
            summary=_nothing(),
            status=409,
        )
    except ValueError:
        return _render_sheet(request, session, chosen=chosen, summary=_nothing(), status=400)
    changed = sum(1 for r in results if r.changed)
    messages.success(
        request,
        ngettext("%(n)d mark recorded.", "%(n)d marks recorded.", changed) % {"n": changed}
        if changed
        else _("Nothing changed: these marks were already recorded."),
    )
    waiting = sum(1 for r in results if r.awaiting_decision)
    if waiting:
        messages.info(
            request,
            ngettext(
                "%(n)d absence with a medical certificate awaits a manager's decision: "
                "nothing was credited.",
                "%(n)d absences with a medical certificate await a manager's decision: "
                "nothing was credited.",
                waiting,
            )
            % {"n": waiting},
        )
    return redirect(sheet_url(session))


@require_role(GESTIONNAIRE)
@require_http_methods(["POST"])
def attendance_justify(request: HttpRequest, pk: int) -> HttpResponse:
    """The gestionnaire's decision on one absence (POST child=<id>): justified, the price
    credited to the family once (justify_absence)."""
    session = _session_for(request, pk)
    try:
        child_id = int(request.POST.get("child", ""))
    except ValueError:
        messages.error(request, _("Choose the child whose absence is justified."))
        return _render_sheet(request, session, status=400)
    try:
        result = justify_absence(session, child_id, actor=request.user)
    except MarksRefused as refusal:
        return _render_sheet(
            request,
            session,
            errors=refusal.errors,
            summary=_("Nothing was credited:"),
            status=409,
        )
    if result.credit_cents:
        text = of_name(
            result.child.first_name,
            _("Absence of %(child)s justified: %(amount)s credited to the family."),
            pgettext(
                "before a vowel",
                "Absence of %(child)s justified: %(amount)s credited to the family.",
            ),
        ) % {
            "child": result.child.first_name,
            "amount": format_cents(result.credit_cents),
        }
    else:  # a day invoiced after the fact: nothing was paid
        text = of_name(
            result.child.first_name,
            _("Absence of %(child)s justified: the day is not invoiced."),
            pgettext("before a vowel", "Absence of %(child)s justified: the day is not invoiced."),
        ) % {"child": result.child.first_name}
    messages.success(request, text)
    return redirect(sheet_url(session))


def _nothing() -> str:
    return _("Nothing was recorded. Please correct these children and send the sheet again:")
