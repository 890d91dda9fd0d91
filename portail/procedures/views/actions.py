"""What the family does on a request's page: send a draft, write to the service, add
documents, download one. POST only for changes (CSRF), a redirect and a message after a
change; a refusal shows the request's page again with the error on its field and what was
typed kept. Another household's request or file answers 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from portail.families.guardians import guardian_required
from portail.families.models import Household
from portail.procedures import services, statuses, uploads
from portail.procedures.models import RequestAttachment
from portail.procedures.page_forms import bound_to_data
from portail.procedures.statuses import RequestRefused
from portail.procedures.views.display import detail_context
from portail.procedures.views.pages import _form_page, household_request
from portail.reservations.models import Channel


@require_http_methods(["POST"])
@guardian_required
def submit(request: HttpRequest, number: int) -> HttpResponse:
    """Send a draft or a completed request as it is saved; a field refused shows the
    draft's form with the errors."""
    household: Household = request.household  # type: ignore[attr-defined]
    req = household_request(household, number)
    try:
        services.submit(household, req.pk, actor=request.user, channel=Channel.WEB)
    except RequestRefused as refused:
        if refused.fields and req.status in statuses.EDITABLE:
            form = bound_to_data(req.procedure, household, req.data)
            form.show_refusal(refused)
            return _form_page(request, req.procedure, form, req=req)
        messages.error(request, refused.message)
        return redirect("procedures:detail", number=req.number)
    messages.success(
        request, _("Your request %(number)s has been sent to the service.") % {"number": req.number}
    )
    return redirect("procedures:detail", number=req.number)


@require_http_methods(["POST"])
@guardian_required
def message(request: HttpRequest, number: int) -> HttpResponse:
    """A message to the service on this request."""
    household: Household = request.household  # type: ignore[attr-defined]
    req = household_request(household, number)
    text = request.POST.get("text", "")
    try:
        services.add_message(household, req.pk, text, actor=request.user, channel=Channel.WEB)
    except RequestRefused as refused:
        if "text" not in refused.fields:
            messages.error(request, refused.message)
            return redirect("procedures:detail", number=req.number)
        error = refused.fields["text"]
        context = detail_context(req, household, message_text=text, message_error=error)
        return render(request, "procedures/detail.html", context)
    messages.success(request, _("Your message has been sent to the service."))
    return redirect("procedures:detail", number=req.number)


@require_http_methods(["POST"])
@guardian_required
def upload(request: HttpRequest, number: int) -> HttpResponse:
    """One or several files at once, each judged on its own: the accepted ones are kept,
    each refused one is named with its reason."""
    household: Household = request.household  # type: ignore[attr-defined]
    req = household_request(household, number)
    files = request.FILES.getlist("files")
    document = request.POST.get("document", "")
    errors: list[str] = []
    document_error = ""
    kept = 0
    if not files:
        errors.append(_("Choose a file to send."))
    for file in files:
        try:
            services.add_attachment(
                household, req.pk, file, actor=request.user, channel=Channel.WEB, document=document
            )
            kept += 1
        except RequestRefused as refused:
            if "document" in refused.fields:
                document_error = refused.fields["document"]
                break
            errors.append(
                _("%(name)s: %(reason)s")
                % {"name": _shown_name(file.name), "reason": refused.message}
            )
    if kept:
        messages.success(
            request,
            ngettext(
                "%(count)d document added to your request.",
                "%(count)d documents added to your request.",
                kept,
            )
            % {"count": kept},
        )
    if errors or document_error:
        req.refresh_from_db()
        context = detail_context(
            req,
            household,
            upload_errors=errors,
            document_error=document_error,
            document_value=document,
        )
        return render(request, "procedures/detail.html", context)
    return redirect("procedures:detail", number=req.number)


def _shown_name(name: str | None) -> str:
    """The file's name as the family chose it, without folders, for an error message."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(name.split())[:100] or "?"


@require_http_methods(["GET", "HEAD"])
@guardian_required
def attachment(request: HttpRequest, number: int, pk: int) -> HttpResponse:
    """A document of the household's request, as a download; 404 for anyone else's."""
    household: Household = request.household  # type: ignore[attr-defined]
    found = RequestAttachment.objects.filter(
        pk=pk, request__number=number, request__household_id=household.pk
    ).first()
    if found is None:
        raise Http404(_("This document does not exist."))
    return uploads.stored_file_response(found)
