from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayfipConfig(AppConfig):
    name = "portail.payfip"
    verbose_name = _("PayFiP")
