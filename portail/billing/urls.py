"""The family's money pages (mounted at the site's root in portail/urls.py).

The basket page and its PDF keep the names they have always had, reservations:basket and
reservations:basket_pdf: portail/urls.py
mounts `basket_urlpatterns` in the "reservations" namespace.
"""

from django.urls import path

from portail.billing import invoice_pay_views, invoice_views, views

app_name = "billing"
urlpatterns = [
    path("panier/valider/", views.checkout_view, name="checkout"),
    path("panier/valide/<str:reference>/", views.validated_page, name="validated"),
    path("mon-avoir/", views.credit_history, name="credits"),
    # The family's invoices (invoice_views.py).
    path("factures/", invoice_views.invoice_list, name="invoices"),
    path("factures/<int:pk>/", invoice_views.invoice_detail, name="invoice"),
    path("factures/<int:pk>/pdf/", invoice_views.invoice_pdf_view, name="invoice_pdf"),
    path("factures/attestations/", invoice_views.request_certificates, name="certificates"),
    path("factures/<int:pk>/payer/", invoice_pay_views.invoice_pay, name="invoice_pay"),
]

basket_urlpatterns = [
    path("panier/", views.basket_page, name="basket"),
    path("panier/detail.pdf", views.basket_pdf, name="basket_pdf"),
]
