from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayfipSimulatorConfig(AppConfig):
    name = "portail.payfip_simulator"
    verbose_name = _("PayFiP simulator")
