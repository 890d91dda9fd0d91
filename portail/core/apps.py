from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portail.core"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from portail.core import checks  # noqa: F401  (registers the system checks)
