from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "portail.api"
    verbose_name = _("API")

    def ready(self) -> None:
        from portail.accounts.signals import password_set
        from portail.api.tokens import revoke_user_tokens

        # A new password ends every token: one stolen with the old password stops working.
        password_set.connect(revoke_user_tokens, dispatch_uid="api-revoke-tokens")
