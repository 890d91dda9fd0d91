"""The parents' planning pages and the basket's ANNULER page.

The basket page itself (reservations:basket) and its PDF (reservations:basket_pdf) are
billing's (they show the credit and the amount due): portail/urls.py mounts
billing.urls.basket_urlpatterns in this namespace too.
"""

from django.urls import path

from portail.reservations import typical_views, views, waiting_views, window_views

app_name = "reservations"
urlpatterns = [
    path("planning/", views.planning_page, name="planning"),
    path("planning/type/", typical_views.typical_week_page, name="typical_week"),
    path("planning/tirage/", window_views.draw_status, name="draw_status"),
    path("planning/liste-attente/", waiting_views.waiting_list_form, name="waiting_list"),
    path("panier/annuler/", views.basket_cancel, name="basket_cancel"),
]
