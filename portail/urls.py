from django.apps import apps
from django.contrib import admin
from django.urls import include, path

from portail.billing import urls as billing_urls
from portail.families import urls as families_urls
from portail.home import urls as home_urls
from portail.reservations import family_urls as reservations_family_urls
from portail.reservations import urls as reservations_urls

# The parents' pages keep the names they have always had ("families:home",
# "families:enrolment_history", "core:help"...), whichever app now holds their views.
FAMILIES_URLPATTERNS = [
    *home_urls.family_urlpatterns,
    *families_urls.urlpatterns,
    *reservations_family_urls.urlpatterns,
]

# The basket page is billing's (it shows the credit and the amount due) and keeps its name,
# reservations:basket, next to the planning's pages.
RESERVATIONS_URLPATTERNS = [*reservations_urls.urlpatterns, *billing_urls.basket_urlpatterns]

urlpatterns = [
    path("", include((FAMILIES_URLPATTERNS, "families"))),
    path("mes-donnees/jetons-api/", include("portail.api.page_urls")),
    path("", include((home_urls.core_urlpatterns, "core"))),
    path("", include((RESERVATIONS_URLPATTERNS, "reservations"))),
    path("", include("portail.billing.urls")),
    path("", include("portail.billing.payfip_urls")),
    path("demarches/", include("portail.procedures.urls")),
    path("", include("portail.reminders.urls")),
    path("compte/", include("portail.accounts.urls")),
    path("gestion/", include("portail.backoffice.urls")),
    path("api/v1/", include("portail.api.urls")),
    path("i18n/", include("portail.accounts.i18n_urls")),
    path("admin/", admin.site.urls),
]

if apps.is_installed("portail.payfip_simulator"):  # never in production (see settings)
    urlpatterns.append(path("payfip-simulateur/", include("portail.payfip_simulator.urls")))
