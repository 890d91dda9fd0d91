"""The recap of an enrolment, in the parents' "families" namespace
("families:enrolment_history", "families:enrolment_recap_pdf"; see portail/urls.py)."""

from django.urls import path

from portail.reservations import recap_views

urlpatterns = [
    path(
        "inscriptions/<int:pk>/historique/",
        recap_views.enrolment_history,
        name="enrolment_history",
    ),
    path(
        "inscriptions/<int:pk>/recapitulatif.pdf",
        recap_views.enrolment_recap_pdf,
        name="enrolment_recap_pdf",
    ),
]
