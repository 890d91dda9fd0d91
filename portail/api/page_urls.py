"""The account holder's page about their API tokens (HTML, not under /api/v1/)."""

from django.urls import path

from portail.api import pages

app_name = "api_pages"
urlpatterns = [
    path("", pages.token_list, name="tokens"),
]
