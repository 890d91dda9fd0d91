"""The family's pages: the home page ("Accueil") and the household's documents.

Every query is scoped to the logged-in guardian's household, so a household only ever
sees its own data. The home page runs a fixed number of queries whatever the number of
children, enrolments or documents (children and their enrolments are prefetched).
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from portail.activities.models import Enrolment
from portail.billing import credits
from portail.core.models import Organisation
from portail.families.guardians import guardian_of
from portail.families.models import Document, DocumentAttachment, Household

# How many documents the home page lists; the rest are on the documents page.
HOME_DOCUMENTS = 5
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

# The seed's procedures ("démarches"). They are not online yet: the home page names them
# and gives the service's contact instead of a link.
PROCEDURES = [
    _("CONTACT A SERVICE"),
    _("UPDATE OF THE SINGLE ENROLMENT FILE AL, ALAE"),
    _("DECLARE A CHANGE OF ADDRESS"),
    _("QUOTIENT FAMILIAL - INCOME DECLARATION"),
]


def guardian_household(request: HttpRequest) -> Household | None:
    """The household of the logged-in guardian, or None (staff, or a login without one)."""
    guardian = guardian_of(request.user)
    return guardian.household if guardian else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    household = guardian_household(request)
    organisation = Organisation.current()
    if household is None:
        template = (
            "families/staff_home.html" if request.user.is_staff else "families/no_household.html"
        )
        return render(request, template, {"org": organisation, "organisation": organisation})

    today = timezone.localdate()
    current_enrolments = (
        Enrolment.objects.filter(valid_to__gte=today)
        .select_related("activity__site")
        .order_by("activity__start_time", "activity__name", "pk")
    )
    children = list(
        household.children.order_by("first_name", "pk").prefetch_related(
            Prefetch("enrolments", queryset=current_enrolments, to_attr="current_enrolments")
        )
    )
    guardians = list(
        household.guardians.select_related("user").order_by("user__last_name", "user__first_name")
    )
    documents = list(household.documents.order_by("-created_at", "-pk")[: HOME_DOCUMENTS + 1])
    context = {
        "org": organisation,
        "organisation": organisation,  # the layout's, fetched once (not per use)
        "household": household,
        "qf": household.qf_on(today),
        "guardians": guardians,
        "children": children,
        "documents": documents[:HOME_DOCUMENTS],
        "more_documents": len(documents) > HOME_DOCUMENTS,
        "procedures": PROCEDURES,
        # "Mon avoir": the credit a new basket can use (portail.billing.credits).
        "credit_available_cents": credits.available_cents(household),
    }
    return render(request, "families/home.html", context)


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
