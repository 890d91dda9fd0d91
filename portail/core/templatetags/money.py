"""The money filters of every template (`{% load money %}`): core.money.format_cents."""

from django import template

from portail.core.money import format_cents

register = template.Library()


@register.filter
def money(cents: int | None) -> str:
    """Integer cents as the active language writes money ("3,70 €", "€3.70")."""
    if cents is None or cents == "":
        return ""
    return format_cents(int(cents))


@register.filter
def signed_money(cents: int | None) -> str:
    """Like money, with a "+" before a positive amount (a ledger movement)."""
    if cents is None or cents == "":
        return ""
    text = format_cents(int(cents))
    return f"+{text}" if int(cents) > 0 else text
