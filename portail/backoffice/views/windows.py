"""Booking windows (gestionnaire): each window with its openings, its draw's seed and,
once drawn, the published order (household, rank, priority); the priority criteria of a
household, ticked by staff. Windows themselves are created in the admin."""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portail.activities import priorities
from portail.activities.models import BookingWindow, DrawEntry, PriorityCriterion
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.families.models import Household


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def windows_page(request: HttpRequest) -> HttpResponse:
    windows = BookingWindow.objects.prefetch_related(
        "activities",
        Prefetch(
            "entries",
            queryset=DrawEntry.objects.select_related("household").order_by("rank", "pk"),
        ),
    ).order_by("-opens_at", "pk")
    return render(request, "backoffice/booking_windows.html", {"windows": windows})


class PrioritiesForm(forms.Form):
    criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Priority criteria"),
        choices=PriorityCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD", "POST"])
def household_priorities(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(Household, pk=pk)
    current = priorities.criteria_of(household)
    if request.method == "POST":
        form = PrioritiesForm(request.POST)
        if form.is_valid():
            changed = priorities.set_priorities(
                household, form.cleaned_data["criteria"], actor=request.user
            )
            if changed:
                messages.success(request, _("The priority criteria were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("backoffice:household_priorities", pk=household.pk)
        status = 400
    else:
        form = PrioritiesForm(initial={"criteria": [p.criterion for p in current]})
        status = 200
    return render(
        request,
        "backoffice/household_priorities.html",
        {"household": household, "form": form, "current": current},
        status=status,
    )
