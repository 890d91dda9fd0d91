from django.urls import path

from portail.reservations import typical_views, views

app_name = "reservations"
urlpatterns = [
    path("planning/", views.planning_page, name="planning"),
    path("planning/type/", typical_views.typical_week_page, name="typical_week"),
    path("panier/", views.basket_page, name="basket"),
    path("panier/annuler/", views.basket_cancel, name="basket_cancel"),
    path("panier/detail.pdf", views.basket_pdf, name="basket_pdf"),
]
