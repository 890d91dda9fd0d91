from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayfipConfig(AppConfig):
    name = "portail.payfip"
    verbose_name = _("PayFiP")

    def ready(self) -> None:
        from portail.core.security import allow_form_action
        from portail.payfip.client import payment_page_targets

        allow_form_action(payment_page_targets)
