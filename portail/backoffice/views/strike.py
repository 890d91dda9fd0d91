"""Closing many days at once (a strike), gestionnaire only: the choice, its preview, then
the closing with its result (backoffice.strike). Works without JavaScript: the preview is
the same form posted with action=preview, the choice carried back in its fields."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from portail.backoffice import strike
from portail.backoffice.households import Refused
from portail.backoffice.permissions import GESTIONNAIRE, require_role
from portail.backoffice.session_forms import StrikeForm

TEMPLATE = "backoffice/sessions_strike.html"


@require_role(GESTIONNAIRE)
@require_http_methods(["GET", "HEAD", "POST"])
def strike_page(request: HttpRequest) -> HttpResponse:
    """GET: the empty form. POST action=preview: the days that would be closed. POST
    action=close (confirmation ticked): close them, show what was done."""
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": StrikeForm()})
    form = StrikeForm(request.POST)
    closing = request.POST.get("action") == "close"
    if not form.is_valid():
        return render(request, TEMPLATE, {"form": form}, status=400)
    choice = form.choice()
    preview = strike.preview(choice)
    if closing and not form.cleaned_data["confirm"]:
        form.add_error("confirm", StrikeForm.confirm_required_message())
        return render(request, TEMPLATE, {"form": form, "preview": preview}, status=400)
    if not closing:
        return render(request, TEMPLATE, {"form": form, "preview": preview})
    try:
        result = strike.close_days(choice, actor=request.user)
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return render(request, TEMPLATE, {"form": form, "preview": preview}, status=400)
    refused = [strike.refusal_text(session, message) for session, message in result.refused]
    return render(request, TEMPLATE, {"form": StrikeForm(), "result": result, "refused": refused})
