"""Replaces django.conf.urls.i18n (included at /i18n/): same address and name."""

from django.urls import path

from portail.accounts import views

urlpatterns = [
    path("setlang/", views.set_language, name="set_language"),
]
