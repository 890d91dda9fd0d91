"""The simulator's URLs, mounted at /payfip-simulateur/ outside production only.

The paths mimic PayFiP's own (`/tpa/services/securite`, `/tpa/paiementws.web`).
"""

from django.urls import path

from portail.payfip_simulator import views

app_name = "payfip_simulator"
urlpatterns = [
    path("", views.control_page, name="control"),
    path("tpa/services/securite", views.soap_endpoint, name="soap"),
    path("tpa/paiementws.web", views.payment_page, name="payment_page"),
    path("recepteur-test/", views.notification_sink, name="notification_sink"),
]
