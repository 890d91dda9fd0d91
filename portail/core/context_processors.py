from django.conf import settings
from django.http import HttpRequest

from portail.core.models import Organisation


def portal(request: HttpRequest) -> dict:
    """The organisation (name in the header and footer) and demo mode, for every page."""
    return {
        "organisation": Organisation.current,  # evaluated lazily, once per template
        "portail_demo": settings.PORTAIL_DEMO,
    }
