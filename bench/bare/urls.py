from django.urls import path

from bench.bare import views

urlpatterns = [
    path("noop", views.noop),
    path("page", views.page),
    path("submit", views.submit),
]
