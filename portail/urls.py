from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from portail.billing import urls as billing_urls
from portail.reservations import urls as reservations_urls

# The basket page is billing's (it shows the credit and the amount due) and keeps its name,
# reservations:basket, next to the planning's pages.
RESERVATIONS_URLPATTERNS = [*reservations_urls.urlpatterns, *billing_urls.basket_urlpatterns]

urlpatterns = [
    path("", include("portail.families.urls")),
    path("mes-donnees/jetons-api/", include("portail.api.page_urls")),
    path("", include("portail.core.urls")),
    path("", include((RESERVATIONS_URLPATTERNS, "reservations"))),
    path("", include("portail.billing.urls")),
    path("", include("portail.billing.payfip_urls")),
    path("compte/", include("portail.accounts.urls")),
    path("gestion/", include("portail.backoffice.urls")),
    path("api/v1/", include("portail.api.urls")),
    path("i18n/", include("portail.accounts.i18n_urls")),
    path("admin/", admin.site.urls),
]

if apps.is_installed("portail.payfip_simulator"):  # never in production (see settings)
    urlpatterns.append(path("payfip-simulateur/", include("portail.payfip_simulator.urls")))
