"""The household's postal address: the one writer (an accepted change of address, the
admin)."""

from portail.families.models import Household


def set_address(household: Household, *, line: str, postal_code: str, city: str) -> None:
    """Write the household's address (line, postal code, city) at once."""
    household.address = line
    household.postal_code = postal_code
    household.city = city
    household.save(update_fields=["address", "postal_code", "city"])
