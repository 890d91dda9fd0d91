"""`{% load attendance_charges %}{% unbooked_charges household %}`: the household's
children recorded present without booking, with the amount due (household page)."""

from django import template

from portail.backoffice.attendance.sheet import unbooked_charges as charges_of
from portail.families.models import Household

register = template.Library()


@register.inclusion_tag("backoffice/attendance_household_charges.html")
def unbooked_charges(household: Household) -> dict:
    rows = charges_of(household)
    return {"rows": rows, "total": sum(a.charge_cents for a in rows)}
