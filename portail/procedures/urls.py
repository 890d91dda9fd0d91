"""The family's démarches pages, mounted at /demarches/ in the "procedures" namespace."""

from django.urls import path

from portail.procedures.views import actions, pages

app_name = "procedures"
urlpatterns = [
    path("", pages.request_list, name="list"),
    path("nouvelle/<slug:code>/", pages.start, name="start"),
    path("<int:number>/", pages.detail, name="detail"),
    path("<int:number>/modifier/", pages.edit, name="edit"),
    path("<int:number>/transmettre/", actions.submit, name="submit"),
    path("<int:number>/message/", actions.message, name="message"),
    path("<int:number>/documents/", actions.upload, name="upload"),
    path("<int:number>/documents/<int:pk>/", actions.attachment, name="attachment"),
]
