from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "portail.billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        # Staff closing a day turns its paid bookings into credit (see closures.py).
        from portail.activities.calendar import sessions_closed
        from portail.billing.closures import on_sessions_closed

        sessions_closed.connect(on_sessions_closed, dispatch_uid="billing_sessions_closed")
