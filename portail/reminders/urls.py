from django.urls import path

from portail.reminders import views

app_name = "reminders"

urlpatterns = [
    path("mes-donnees/rappels/", views.preferences_page, name="preferences"),
]
