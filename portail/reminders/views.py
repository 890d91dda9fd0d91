"""The guardian's reminders page ("Mes rappels", from "Mes données personnelles"), the
address every reminder e-mail links to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from portail.families.models import Guardian
from portail.reminders import preferences, registry
from portail.reminders.forms import PreferencesForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences_page(request: HttpRequest) -> HttpResponse:
    guardian = Guardian.objects.filter(user_id=request.user.pk).first()
    if guardian is None:
        raise Http404
    status = 200
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            preferences.set_wanted(guardian, set(form.cleaned_data["kinds"]))
            messages.success(request, gettext("Your reminder choices have been saved."))
            return redirect("reminders:preferences")
        status = 400
    else:
        form = PreferencesForm()
    wanted = preferences.wanted(guardian)
    response = render(
        request,
        "reminders/preferences.html",
        {
            "form": form,
            "kinds": [(kind, kind.code in wanted) for kind in registry.kinds()],
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response
