from django.urls import path

from bench.bare import views

urlpatterns = [
    path("noop", views.noop),
    path("two-reads", views.two_reads),
    path("page", views.page),
    path("submit", views.submit),
    path("submission-statements", views.submission_statements),
]
