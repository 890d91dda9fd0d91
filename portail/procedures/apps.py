from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    """Démarches en ligne: requests a family sends and the service processes."""

    name = "portail.procedures"
    label = "procedures"
    verbose_name = _("Online procedures")
