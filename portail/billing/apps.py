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

        # The payment ticket and the validation e-mail (tickets.py), once per payment or
        # validated basket; and the PayFiP client-number check (checks.py).
        from portail.billing import checks  # noqa: F401 (registers the system check)
        from portail.billing.payments import basket_validated, payment_confirmed
        from portail.billing.tickets import on_basket_validated, on_payment_confirmed

        payment_confirmed.connect(on_payment_confirmed, dispatch_uid="billing_payment_ticket")
        basket_validated.connect(on_basket_validated, dispatch_uid="billing_basket_ticket")

        # The planning's running total counts the credit the basket will apply.
        from portail.billing.credits import available_column
        from portail.billing.planning_credit import credit_for_changes_cents
        from portail.reservations.credit_hook import count_credit_with

        count_credit_with(credit_for_changes_cents, available_column)
