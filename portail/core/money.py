"""The one money formatter: integer cents to text, French or English."""

from django.utils.translation import get_language


def format_cents(cents: int, language: str | None = None) -> str:
    """3,70 € in French (non-breaking spaces), €3.70 in English."""
    language = (language or get_language() or "fr")[:2]
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(int(cents)), 100)
    if language == "en":
        return f"{sign}€{euros:,}.{rest:02d}"
    grouped = f"{euros:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{rest:02d}\u00a0€"
