"""The colour legend (planning, back office, guide) explains the "Cancelled" state."""

import pytest
from django.test import Client

from portail.reservations.legend import LEGEND
from portail.reservations.states import CellState

pytestmark = pytest.mark.django_db


def test_the_legend_has_the_cancelled_state():
    codes = [entry.code for entry in LEGEND]
    assert CellState.CANCELLED in codes


def test_the_guide_explains_it():
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/aide/").content.decode()
    assert "state--cancelled" in page
    assert "then cancelled: by you, or by the service" in page
