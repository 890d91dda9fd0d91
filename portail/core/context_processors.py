from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from portail.core.models import Organisation


def portal(request: HttpRequest) -> dict:
    """The organisation (name in the header and footer) and demo mode, for every page.

    The organisation is read lazily, at most once per request.
    """
    return {
        "organisation": SimpleLazyObject(Organisation.current),
        "portail_demo": settings.PORTAIL_DEMO,
    }
