from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "portail.reservations"
    verbose_name = _("Reservations")

    def ready(self) -> None:
        from portail.reservations import waiting_signals

        waiting_signals.connect()  # a reopened day's places go to its waiting list
