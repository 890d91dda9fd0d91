"""`{% load requests_inbox %}{% requests_waiting as n %}`: the number of requests waiting
for the service's action, for the back office's menu (gestionnaires only: one query)."""

from django import template

from portail.backoffice import requests

register = template.Library()


@register.simple_tag
def requests_waiting() -> int:
    return requests.waiting_count()
