from django.urls import path

from portail.core import views

app_name = "core"
urlpatterns = [
    path("aide/", views.help_page, name="help"),
]
