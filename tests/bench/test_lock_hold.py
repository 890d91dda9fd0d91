"""The bench's lock-hold measure finds the sessions' lock of a real submission and times it
up to the COMMIT (no timing asserted: only that each part was seen, in order)."""

import pytest
from django.db import connection
from django.test import Client

from bench import lock_hold
from portail.api.tokens import issue_token
from tests.world.commune import seed_family

# The measure waits for the COMMIT (transaction.on_commit): real transactions.
pytestmark = pytest.mark.django_db(transaction=True)


def _cycle():
    fam = seed_family(names=("Emy", "Lise"))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(fam.user)}")
    adds = [
        {"child_id": kid.pk, "session_id": fam.sessions[day].pk}
        for day in fam.days
        for kid in fam.children
    ]

    def send():
        response = api.post("/api/v1/basket", {"add": adds}, content_type="application/json")
        assert response.status_code == 201, response.content
        return response

    def reset():
        response = api.delete("/api/v1/basket")
        assert response.status_code == 204, response.content
        return response

    return send, reset


def test_the_sessions_lock_is_held_for_part_of_each_submission():
    send, reset = _cycle()
    holds = lock_hold.measure(send, reset, rounds=3)
    assert len(holds.request_ms) == 3
    if connection.vendor == "sqlite":
        # SQLite locks the whole database at BEGIN: no session row lock to time.
        assert holds.held_ms == []
        assert "no lock on session rows" in holds.text("POST /api/v1/basket")
        return
    assert len(holds.held_ms) == 3
    for held, total in zip(holds.held_ms, holds.request_ms, strict=True):
        assert 0 < held < total
    assert "held the sessions' row locks" in holds.text("POST /api/v1/basket")


def test_a_refused_submission_holds_nothing_past_its_rollback():
    fam = seed_family(names=("Emy",))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {issue_token(fam.user)}")
    stranger = seed_family(names=("Zoe",), household_name="AUTRE", email="autre@example.org")
    # Another household's child: refused, the transaction rolled back, no COMMIT to time.
    asked = {
        "add": [{"child_id": stranger.children[0].pk, "session_id": fam.sessions[fam.days[0]].pk}]
    }

    def send():
        return api.post("/api/v1/basket", asked, content_type="application/json")

    holds = lock_hold.measure(send, lambda: None, rounds=2)
    assert len(holds.request_ms) == 2
    assert holds.held_ms == []
