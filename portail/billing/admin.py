"""Read-only views of the credit ledger and the PayFiP payments for the service.

Ledger rows are never edited (credits.py appends them, adjustments included) and payments
only change through PayFiP's answers (payments.py): the admin lists and shows.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portail.billing.models import CreditEntry, Payment
from portail.core.money import format_cents


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "household", "seq", "kind", "amount", "balance", "reason"]
    list_filter = ["kind"]
    search_fields = ["household__name", "reason", "basket__reference", "actor_label"]
    list_select_related = ["household"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, obj: CreditEntry) -> str:
        return format_cents(obj.amount_cents)

    @admin.display(description=_("balance after"), ordering="balance_after_cents")
    def balance(self, obj: CreditEntry) -> str:
        return format_cents(obj.balance_after_cents)


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "refdet",
        "household",
        "amount",
        "state",
        "resultrans",
        "paid_at",
        "error_code",
    ]
    list_filter = ["state", "resultrans"]
    search_fields = ["refdet", "idop", "household__name", "basket__reference", "mel"]
    list_select_related = ["household"]
    date_hierarchy = "created_at"

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, obj: Payment) -> str:
        return format_cents(obj.amount_cents)
