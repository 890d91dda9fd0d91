from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "portail.families"
    verbose_name = _("Families")

    def ready(self) -> None:
        """The account e-mails (activation, password reset) go through send_to_user, so a
        guardian finds them in "Mes documents" (staff only receive them)."""
        from portail.accounts.emails import deliver_account_emails_with
        from portail.families.messaging import send_to_user

        deliver_account_emails_with(send_to_user)
