"""The portal's URLs plus its PayFiP notification and return paths, for the live tests.

The web pages at these paths belong to the web issue; these stand-ins do only what the
checkout asks of them (refresh_payment with the idOp received), so that the simulator's
notifications travel over real HTTP to the real service.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from portail.billing import payments


def _idop(request: HttpRequest) -> str:
    for source in (request.POST, request.GET):
        for name in ("idOp", "idop"):
            if source.get(name):
                return source[name]
    return ""


@csrf_exempt
def notify(request: HttpRequest) -> HttpResponse:
    payments.refresh_payment(_idop(request), source=payments.SOURCE_NOTIFICATION)
    return HttpResponse("OK")


def back(request: HttpRequest) -> HttpResponse:
    payment = payments.refresh_payment(_idop(request), source=payments.SOURCE_RETURN)
    return HttpResponse(payment.state if payment else "unknown")


urlpatterns = [
    path(payments.NOTIFY_PATH.lstrip("/"), notify),
    path(payments.RETURN_PATH.lstrip("/"), back),
    path("", include("portail.urls")),
]
