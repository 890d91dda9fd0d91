"""Template helpers of the back office: `{% load backoffice %}`."""

from django import template

from portail.core.money import format_cents

register = template.Library()


@register.filter
def cents(value: int | None) -> str:
    """An amount in cents as money (core.money.format_cents); "" for None."""
    if value is None or value == "":
        return ""
    return format_cents(int(value))


@register.filter
def signed_cents(value: int | None) -> str:
    """Like `cents`, with "+" before a positive amount (ledger movements)."""
    if value is None or value == "":
        return ""
    text = format_cents(int(value))
    return f"+{text}" if int(value) > 0 else text
