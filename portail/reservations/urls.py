"""The parents' planning pages and the basket's ANNULER and PDF pages.

The basket page itself (reservations:basket) is billing's: portail/urls.py mounts
billing.urls.basket_urlpatterns in this namespace too.
"""

from django.urls import path

from portail.reservations import typical_views, views

app_name = "reservations"
urlpatterns = [
    path("planning/", views.planning_page, name="planning"),
    path("planning/type/", typical_views.typical_week_page, name="typical_week"),
    path("panier/annuler/", views.basket_cancel, name="basket_cancel"),
    path("panier/detail.pdf", views.basket_pdf, name="basket_pdf"),
]
