"""The footer's pages (mentions légales, données personnelles, déclaration d'accessibilité,
charte d'utilisation, navigateurs supportés): which text to show, made again where missing.

Texts are rows (`LegalPage`, one per page and language) that staff edit in the admin; a
data migration writes the defaults (core/migrations/0004_default_legal_pages.py), whose
bracketed parts ("[à compléter : …]") the city fills in (`check --deploy` says which
remain, core.W001).
"""

import importlib

from django.conf import settings

from portail.core.models import LegalPage

_DEFAULTS = importlib.import_module("portail.core.migrations.0004_default_legal_pages")
TO_FILL = (_DEFAULTS.TO_FILL, _DEFAULTS.TO_FILL_EN)


def ensure_legal_pages() -> None:
    """Create the pages missing (a database a test flushed), with the default texts."""
    for (kind, language), (title, body) in _DEFAULTS.PAGES.items():
        LegalPage.objects.get_or_create(
            kind=kind, language=language, defaults={"title": title, "body": body}
        )


def legal_page(kind: str, language: str) -> LegalPage | None:
    """The page in `language`, else in the portal's default language (one query)."""
    pages = {
        page.language: page
        for page in LegalPage.objects.filter(
            kind=kind, language__in={language, settings.LANGUAGE_CODE}
        )
    }
    return pages.get(language) or pages.get(settings.LANGUAGE_CODE)


def pages_to_fill() -> list[LegalPage]:
    """Pages whose text still has a part for the city to fill in."""
    return [
        page
        for page in LegalPage.objects.order_by("kind", "language")
        if any(marker in page.body for marker in TO_FILL)
    ]
