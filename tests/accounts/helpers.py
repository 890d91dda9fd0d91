"""Small helpers shared by the account tests."""

import re
from urllib.parse import urlparse

from django.core import mail

LINK = re.compile(r"https?://\S+")


def link_path(message: mail.EmailMessage) -> str:
    """The path of the (only) link in an e-mail's text body."""
    links = LINK.findall(message.body)
    assert len(links) == 1, links
    return urlparse(links[0]).path
