"""The household's documents. portail/urls.py puts them in the "families" namespace with
the parents' pages of portail/home and the recap of reservations."""

from django.urls import path

from portail.families import views

urlpatterns = [
    path("documents/", views.document_list, name="documents"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path(
        "documents/<int:pk>/fichiers/<int:attachment_pk>/",
        views.document_attachment,
        name="document_attachment",
    ),
]
