"""?week= and dates are read with ASCII digits, the whole value: Arabic-Indic digits or a
trailing newline are refused (422), as the document's pattern says."""

import pytest
from django.test import Client

from portail.api.fields import read_date, read_iso_week
from portail.api.http import ApiError
from tests.api.conftest import bearer, error_of, get_token
from tests.api.document import document, query_is_valid

pytestmark = pytest.mark.django_db

REFUSED_WEEKS = ["٢٠٢٦-W49", "2026-W49\n", "２０２６-W49", "2026-W٤٩"]


@pytest.mark.parametrize("week", REFUSED_WEEKS)
def test_the_planning_refuses_a_week_not_written_in_ascii_digits(guardian, week):
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))

    response = client.get("/api/v1/planning", {"week": week})

    assert response.status_code == 422
    assert error_of(response)["field"] == "week"
    assert not query_is_valid(document(), "GET", "/planning", "week", week)


def test_the_same_week_in_ascii_digits_is_read(guardian):
    client = Client(headers=bearer(get_token(Client(), guardian.user.email)))

    assert client.get("/api/v1/planning", {"week": "2026-W49"}).status_code == 200
    assert query_is_valid(document(), "GET", "/planning", "week", "2026-W49")


@pytest.mark.parametrize("value", ["٢٠٢٦-١٢-٠٧", "2026-12-07\n"])
def test_a_date_not_written_in_ascii_digits_is_refused(value):
    with pytest.raises(ApiError):
        read_date({"day": value}, "day")
    with pytest.raises(ApiError):
        read_iso_week({"week": value.replace("-12-07", "-W49")}, "week")
