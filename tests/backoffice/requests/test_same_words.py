"""The family and the staff read a request's data in the same words (procedures.wording):
every label and value the family's page shows, the staff's page shows too, in French and
in English; an id that no longer names a row reads as such on both, never an error."""

import re

import pytest
from django.urls import reverse

from portail.procedures.models import RequestStatus
from tests.world.procedures import request_in
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def _data_block(html: str) -> str:
    """The text of the data list (the `<dl class="home__facts">` both pages include)."""
    found = re.search(r'<dl class="home__facts">(.*?)</dl>\s*(?:</div>|\n)', html, re.S)
    assert found, "no data list on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("code", ["family_file", "early_childhood", "enrolment"])
def test_both_pages_show_the_same_data(desk, language, code):
    request = request_in(desk, code, RequestStatus.SUBMITTED)
    family = client_for(desk.user, language).get(
        reverse("procedures:detail", kwargs={"number": request.number})
    )
    staff = client_for(desk.staff, language).get(
        reverse("backoffice:request", kwargs={"pk": request.pk})
    )
    assert family.status_code == staff.status_code == 200
    words = _data_block(family.content.decode())
    assert words and words == _data_block(staff.content.decode())


def test_a_child_that_no_longer_exists_reads_as_such(desk):
    request = request_in(desk, "enrolment", RequestStatus.SUBMITTED)
    request.data = {**request.data, "child_id": 999999}
    request.save(update_fields=["data"])
    staff = client_for(desk.staff, "en").get(
        reverse("backoffice:request", kwargs={"pk": request.pk})
    )
    assert "Child no. 999999 (no longer exists)" in _data_block(staff.content.decode())


def test_the_data_reads_in_the_forms_order_whatever_order_it_was_stored_in(desk):
    """PostgreSQL's jsonb keeps keys in its own order: the words follow the forms'."""
    request = request_in(desk, "address_change", RequestStatus.SUBMITTED)
    request.data = dict(reversed(list(request.data.items())))
    request.save(update_fields=["data"])
    staff = client_for(desk.staff, "en").get(
        reverse("backoffice:request", kwargs={"pk": request.pk})
    )
    words = _data_block(staff.content.decode())
    labels = ["New address", "Postal code", "City", "Applies from"]
    assert [words.index(label) for label in labels] == sorted(
        words.index(label) for label in labels
    )
