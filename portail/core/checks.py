"""System checks of the core app (run by `portail check --deploy`)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

LEGAL_TO_FILL_ID = "core.W001"


@register(Tags.compatibility, deploy=True)
def check_legal_pages_filled(app_configs=None, **kwargs) -> list[Warning]:
    """The footer's legal pages still hold a part the city must fill in ("[à compléter")."""
    if app_configs is not None and not any(c.label == "core" for c in app_configs):
        return []
    from portail.core.legal import pages_to_fill

    try:
        pages = pages_to_fill()
    except DatabaseError:
        return []
    if not pages:
        return []
    names = ", ".join(f"{page.title} ({page.language})" for page in pages)
    return [
        Warning(
            f"Legal pages still to complete: {names}.",
            hint="Fill in the bracketed parts in the admin: Organisation › Legal pages.",
            id=LEGAL_TO_FILL_ID,
        )
    ]
