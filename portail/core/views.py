from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def help_page(request: HttpRequest) -> HttpResponse:
    """The portal guide: how booking, paying and cancelling work (the seed's AIDE)."""
    return render(request, "core/help.html")
