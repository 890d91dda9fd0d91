from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "portail.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        # The configuration stamp's row (config_cache.py) exists after every migrate and
        # flush (flush sends post_migrate too): without it, nothing is kept in memory.
        from portail.activities.config_cache import ensure_stamp

        post_migrate.connect(ensure_stamp, sender=self, dispatch_uid="activities_config_stamp")
