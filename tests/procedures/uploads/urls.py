"""Test-only views over portail.procedures.uploads, under the real request stack (the
multipart parser, the upload handlers, the middlewares): the pages and the API of the next
session call the same functions."""

from dataclasses import asdict

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portail.procedures.uploads import FileRefused, StoredFile, save_upload, stored_file_response


@csrf_exempt
def upload(request: HttpRequest) -> HttpResponse:
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse({"code": "missing"}, status=400)
    try:
        stored = save_upload(file, prefix="probe")
    except FileRefused as refused:
        return JsonResponse(
            {"code": refused.code, "message": refused.message, "received": type(file).__name__},
            status=422,
        )
    return JsonResponse(asdict(stored), status=201)


def download(request: HttpRequest, name: str) -> HttpResponse:
    stored = StoredFile(name, request.GET["as"], request.GET["type"], 0)
    return stored_file_response(stored)


urlpatterns = [
    path("upload/", upload),
    path("file/<path:name>", download),
]
