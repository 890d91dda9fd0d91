from django.urls import path

from portail.families import personal_views, recap_views, views

app_name = "families"
urlpatterns = [
    path("", views.home, name="home"),
    path("documents/", views.document_list, name="documents"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path(
        "documents/<int:pk>/fichiers/<int:attachment_pk>/",
        views.document_attachment,
        name="document_attachment",
    ),
    path(
        "inscriptions/<int:pk>/historique/",
        recap_views.enrolment_history,
        name="enrolment_history",
    ),
    path(
        "inscriptions/<int:pk>/recapitulatif.pdf",
        recap_views.enrolment_recap_pdf,
        name="enrolment_recap_pdf",
    ),
    path("mes-donnees/", personal_views.personal_data, name="personal_data"),
    path(
        "mes-donnees/adresse-electronique/",
        personal_views.email_change,
        name="email_change",
    ),
    path(
        "mes-donnees/adresse-electronique/confirmer/<str:token>/",
        personal_views.email_change_confirm,
        name="email_change_confirm",
    ),
    path("mes-donnees/telephone/", personal_views.phone_change, name="phone_change"),
    path(
        "mes-donnees/mot-de-passe/",
        personal_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("mes-donnees/calendrier/", personal_views.calendar_settings, name="calendar_settings"),
    path("calendrier/<str:token>.ics", personal_views.calendar_feed_ics, name="calendar_feed"),
]
