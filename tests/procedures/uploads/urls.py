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
    """One file: 201 and what was stored, or 422 and why not. Several files (all the
    `file` fields): 200 and each one's answer, in order."""
    files = request.FILES.getlist("file")
    if not files:
        return JsonResponse({"code": "missing"}, status=400)
    answers = []
    for file in files:
        try:
            answers.append((201, asdict(save_upload(file, prefix="probe"))))
        except FileRefused as refused:
            answer = {"code": refused.code, "message": refused.message}
            answers.append((422, {**answer, "received": type(file).__name__}))
    if len(answers) == 1:
        return JsonResponse(answers[0][1], status=answers[0][0])
    return JsonResponse([answer for _status, answer in answers], safe=False)


def download(request: HttpRequest, name: str) -> HttpResponse:
    stored = StoredFile(name, request.GET["as"], request.GET["type"], 0)
    return stored_file_response(stored)


urlpatterns = [
    path("upload/", upload),
    path("file/<path:name>", download),
]
