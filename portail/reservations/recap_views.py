"""The recap of an enrolment: its history page and its PDF ("Inscriptions périscolaires").

Enrolments are looked up inside the logged-in guardian's household only: another
household's enrolment answers 404, exactly like one that does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portail.accounts.emails import user_language
from portail.activities.models import Enrolment
from portail.families.guardians import guardian_household
from portail.reservations.recap import enrolment_recap, household_enrolments
from portail.reservations.recap_file import recap_pdf_response


def _own_enrolment(request: HttpRequest, pk: int) -> Enrolment:
    household = guardian_household(request)
    if household is None:
        raise Http404
    enrolment = household_enrolments(household.pk).filter(pk=pk).first()
    if enrolment is None:
        raise Http404
    return enrolment


@login_required
def enrolment_recap_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The seed's PDF, in the guardian's language."""
    enrolment = _own_enrolment(request, pk)
    return recap_pdf_response(enrolment, user_language(request.user))


@login_required
def enrolment_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The same table as the PDF, as a page."""
    enrolment = _own_enrolment(request, pk)
    recap = enrolment_recap(enrolment)
    return render(
        request,
        "families/enrolment_history.html",
        {"recap": recap, "enrolment": enrolment, "today": timezone.localdate()},
    )
