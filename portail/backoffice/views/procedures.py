"""The procedures' settings (démarches), for gestionnaires: each procedure's title, help
text, open or closed, documents required; one form per procedure, saved by
backoffice.procedure_settings."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portail.backoffice import procedure_settings
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.backoffice.procedure_settings import SettingsRefused
from portail.backoffice.request_forms import ProcedureSettingsForm
from portail.procedures.models import Procedure


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD"])
def procedures_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/procedures.html",
        {"procedures": list(Procedure.objects.order_by("position", "pk"))},
    )


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD", "POST"])
def procedure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    procedure = get_object_or_404(Procedure, pk=pk)
    if request.method == "POST":
        form = ProcedureSettingsForm(request.POST)
        if form.is_valid():
            try:
                saved = procedure_settings.update_procedure(
                    procedure.pk, **form.cleaned_data, actor=request.user
                )
            except Procedure.DoesNotExist as gone:
                raise Http404 from gone
            except SettingsRefused as refused:
                for name, message in refused.fields.items():
                    form.add_error(name if name in form.fields else None, message)
            else:
                messages.success(
                    request,
                    _("The settings of “%(title)s” were saved.") % {"title": saved.title},
                )
                return redirect("backoffice:procedures")
        status = 400
    else:
        form = ProcedureSettingsForm(
            initial={
                "title": procedure.title,
                "description": procedure.description,
                "is_open": procedure.is_open,
                "required_documents": procedure.required_documents,
            }
        )
        status = 200
    return render(
        request,
        "backoffice/procedures_edit.html",
        {"procedure": procedure, "form": form},
        status=status,
    )
