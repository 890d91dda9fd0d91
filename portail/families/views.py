"""The household's documents ("Mes documents"); the home page is in portail/home.

Every query is scoped to the logged-in guardian's household, so a household only ever
sees its own data.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from portail.families.guardians import guardian_household
from portail.families.models import Document, DocumentAttachment

# Documents per page of "Mes documents".
DOCUMENTS_PER_PAGE = 20

# Documents whose text may carry a login link or concern one login: shown only to the
# guardian it was sent to, never to another guardian of the household.
PERSONAL_KINDS = {
    Document.Kind.ACTIVATION,
    Document.Kind.PASSWORD_RESET,
    Document.Kind.EMAIL_CHANGE,
    Document.Kind.ACCOUNT_SECURITY,
}


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """Every document the household received ("Mes documents", TOUT VOIR), newest first,
    DOCUMENTS_PER_PAGE a page (?page=2; a page out of range shows the last one)."""
    household = guardian_household(request)
    if household is None:
        raise Http404
    documents = household.documents.annotate(attachment_count=Count("attachments")).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "families/document_list.html",
        {"documents": page.object_list, "page": page},
    )


def _body_visible(document: Document, request: HttpRequest) -> bool:
    """A personal document's text (and files) only for the guardian it was sent to."""
    return (
        document.kind not in PERSONAL_KINDS
        or document.recipient.lower() == request.user.email.lower()
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One document's text and files; another household's document does not exist here."""
    household = guardian_household(request)
    if household is None:
        raise Http404
    document = get_object_or_404(Document, pk=pk, household=household)
    body_visible = _body_visible(document, request)
    attachments = list(document.attachments.defer("content").order_by("pk")) if body_visible else []
    return render(
        request,
        "families/document_detail.html",
        {"document": document, "body_visible": body_visible, "attachments": attachments},
    )


@login_required
def document_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """A file of a document (a payment ticket, a basket PDF), opened again."""
    household = guardian_household(request)
    if household is None:
        raise Http404
    document = get_object_or_404(Document, pk=pk, household=household)
    if not _body_visible(document, request):
        raise Http404
    attachment = get_object_or_404(DocumentAttachment, pk=attachment_pk, document=document)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        attachment.content_type != "application/pdf", attachment.filename
    )
    add_never_cache_headers(response)
    return response
