from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The parents' pages that gather several apps: the home page, the portal guide and
    "Mes données personnelles". No model of its own."""

    name = "portail.home"
    label = "home"
