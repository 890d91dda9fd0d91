"""The recap of an enrolment: its history page and its PDF ("Inscriptions périscolaires").

Enrolments are looked up inside the logged-in guardian's household only: another
household's enrolment answers 404, exactly like one that does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext

from portail.activities.models import Enrolment
from portail.core.models import Organisation
from portail.core.pdf.recap import render_recap_pdf
from portail.families.messaging import user_language
from portail.families.recap import enrolment_recap, household_enrolments
from portail.families.views import guardian_household


def recap_filename(enrolment: Enrolment) -> str:
    child = enrolment.child
    name = slugify(f"{child.last_name} {child.first_name} {enrolment.activity.name}")
    prefix = gettext("recap")
    return f"{prefix}-{name or enrolment.pk}.pdf"


def recap_pdf_response(enrolment: Enrolment, language: str) -> HttpResponse:
    """The recap PDF of `enrolment` (child and activity__site selected), opened in place."""
    organisation = Organisation.current()
    with translation.override(language):
        pdf = render_recap_pdf(
            enrolment_recap(enrolment),
            organisation_name=organisation.name if organisation else gettext("Portail Famille"),
            language=language,
        )
        filename = recap_filename(enrolment)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    add_never_cache_headers(response)
    return response


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
