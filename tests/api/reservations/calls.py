"""The API as these tests call it (JSON posts, signed-in families, error bodies) and the
exact keys of its answers."""

import json

from django.test import Client

CELL_KEYS = {
    "child_id",
    "session_id",
    "activity_id",
    "activity",
    "date",
    "start",
    "end",
    "state",
    "price_cents",
    "late",
    "billing_mode",
    "editable",
    "waiting_rank",
    "places_left",
}

BASKET_KEYS = {
    "id",
    "reference",
    "status",
    "expires_at",
    "lines",
    "reservations_total_cents",
    "cancellations_total_cents",
    "invoiced_total_cents",
    "credit_available_cents",
    "credit_applied_cents",
    "amount_due_cents",
}

LINE_KEYS = {
    "id",
    "kind",
    "child_id",
    "child",
    "session_id",
    "activity",
    "date",
    "start",
    "quantity",
    "unit_price_cents",
    "total_cents",
    "late",
    "invoiced",
    "offer",
    "expires_at",
}


def post_json(client: Client, url: str, data: object, **kwargs):
    return client.post(url, data=json.dumps(data), content_type="application/json", **kwargs)


def error_of(response) -> dict:
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    return body["error"]


def logged(client, fam):
    client.force_login(fam.user)
    return client


def item(child, session) -> dict:
    return {"child_id": child.pk, "session_id": session.pk}


def seed_request(fam) -> dict:
    """The seed's basket: Emy and Lise, Thursday and Friday."""
    return {"add": [item(kid, fam.sessions[day]) for day in fam.days[2:] for kid in fam.children]}
