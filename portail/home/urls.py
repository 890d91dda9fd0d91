"""The URLs of the parents' pages in portail/home.

They keep the names they had when their views lived in families and core: portail/urls.py
puts `family_urlpatterns` in the "families" namespace ("families:home",
"families:personal_data"...) and `core_urlpatterns` in "core" ("core:help").
"""

from django.urls import path

from portail.home import legal_views, personal_views, tariff_views, views

family_urlpatterns = [
    path("", views.home, name="home"),
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

core_urlpatterns = [
    path("aide/", views.help_page, name="help"),
    path("tarifs/", tariff_views.tariffs_page, name="tariffs"),
    # The footer's pages (core/legal.py), each at its French address.
    *(
        path(address, legal_views.legal_page_view, {"kind": kind}, name=f"legal_{kind}")
        for address, kind in (
            ("mentions-legales/", "legal_notice"),
            ("donnees-personnelles/", "personal_data"),
            ("accessibilite/", "accessibility"),
            ("charte-d-utilisation/", "terms"),
            ("navigateurs-supportes/", "browsers"),
        )
    ),
]
