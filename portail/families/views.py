"""The family's pages: the home page ("Accueil") and the household's documents.

Every query is scoped to the logged-in guardian's household, so a household only ever
sees its own data. The home page runs a fixed number of queries whatever the number of
children, enrolments or documents (children and their enrolments are prefetched).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portail.activities.models import Enrolment
from portail.core.models import Organisation
from portail.families.models import Document, Guardian, Household

# How many documents the home page lists; the rest are on the documents page.
HOME_DOCUMENTS = 5

# Documents whose text may carry a login link: shown only to the guardian it was sent
# to, never to another guardian of the household.
PERSONAL_KINDS = {Document.Kind.ACTIVATION, Document.Kind.PASSWORD_RESET}

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
    guardian = Guardian.objects.select_related("household").filter(user_id=request.user.pk).first()
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
        .select_related("activity")
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
    }
    return render(request, "families/home.html", context)


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    """Every document the household received ("Mes documents", TOUT VOIR)."""
    household = guardian_household(request)
    if household is None:
        raise Http404
    documents = household.documents.order_by("-created_at", "-pk")
    return render(request, "families/document_list.html", {"documents": documents})


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One document's text; another household's document does not exist for this one."""
    household = guardian_household(request)
    if household is None:
        raise Http404
    document = get_object_or_404(Document, pk=pk, household=household)
    body_visible = (
        document.kind not in PERSONAL_KINDS
        or document.recipient.lower() == request.user.email.lower()
    )
    return render(
        request,
        "families/document_detail.html",
        {"document": document, "body_visible": body_visible},
    )
