"""The footer's pages (core/legal.py): the same view for the five, in the visitor's
language (or the portal's default when the city wrote none), public."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from portail.core.legal import legal_page
from portail.core.models import LegalPageKind, Organisation


def legal_page_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LegalPageKind.values:
        raise Http404
    page = legal_page(kind, (get_language() or "fr")[:2])
    if page is None:
        raise Http404
    organisation = Organisation.current()
    return render(
        request,
        "home/legal.html",
        {"page": page, "org": organisation, "organisation": organisation},
    )
