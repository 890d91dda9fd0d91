"""The recap PDF of one enrolment as a file to open: its name and its HTTP response, the
same for the parents' page (reservations.recap_views) and the API (api.views.history)."""

from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.text import slugify
from django.utils.translation import gettext

from portail.activities.models import Enrolment
from portail.core.models import Organisation
from portail.core.pdf.recap import render_recap_pdf
from portail.reservations.recap import enrolment_recap


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
