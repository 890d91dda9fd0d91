from django.urls import path

from portail.families import views

app_name = "families"
urlpatterns = [
    path("", views.home, name="home"),
]
