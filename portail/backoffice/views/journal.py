"""The service's journal (gestionnaire only): every back-office action with its author,
when, what and why (backoffice.audit), filterable by kind and period, paginated."""

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from portail.backoffice import audit
from portail.backoffice.dates import StaffDateField
from portail.backoffice.models import StaffActionKind
from portail.backoffice.permissions import GESTIONNAIRE, require_role

PAGE_SIZE = 50


class JournalFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Action"),
        choices=[("", _("All actions")), *StaffActionKind.choices],
        required=False,
    )
    start = StaffDateField(label=_("From"), required=False)
    end = StaffDateField(label=_("to"), required=False)

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def journal_page(request: HttpRequest) -> HttpResponse:
    form = JournalFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = audit.journal(kind=data.get("kind", ""), start=data.get("start"), end=data.get("end"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in ("kind", "start", "end") and v}
    return render(
        request,
        "backoffice/journal.html",
        {"form": form, "page": page, "query": urlencode(query)},
        status=400 if form.is_bound and form.errors else 200,
    )
