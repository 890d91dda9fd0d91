from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("portail.families.urls")),
    path("", include("portail.core.urls")),
    path("compte/", include("portail.accounts.urls")),
    path("api/v1/", include("portail.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
