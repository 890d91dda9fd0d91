"""Household B's parent writing with household A's ids: every family write is probed, and
none changes anything or shows household A's data."""

import pytest

from tests.security import urlmatrix
from tests.security.urlmatrix import OTHER

from .answers import body_of, client_for, path_of
from .expectations import ROUTES, rule_for

# Every family route household B's parent may POST to (its own household) is either given
# a body naming household A's child, bookings and sessions here, or listed in
# WRITES_WITHOUT_IDS with the reason its input names nothing of another household.
CROSS_HOUSEHOLD_WRITES: dict[str, list[tuple[str, object]]] = {
    "reservations:planning": [
        (
            "form",
            {
                "week": "{week}",
                "change": ["reserve:{child}:{free_session}", "cancel:{child}:{booked_session}"],
            },
        )
    ],
    "reservations:typical_week": [
        (
            "query",
            {
                "step": "preview",
                "day": "{child}:{activity}:0",
                "from": "{first_day}",
                "to": "{last_day}",
            },
        ),
        (
            "form",
            {
                "day": "{child}:{activity}:0",
                "from": "{first_day}",
                "to": "{last_day}",
                "mode": "reserve",
            },
        ),
        (
            "form",
            {
                "day": "{child}:{activity}:0",
                "from": "{first_day}",
                "to": "{last_day}",
                "mode": "cancel",
            },
        ),
    ],
    "api:basket": [
        (
            "json",
            {
                "add": [{"child_id": "{child}", "session_id": "{free_session}"}],
                "cancel": [{"child_id": "{child}", "session_id": "{booked_session}"}],
            },
        )
    ],
    "api:basket-typical-week": [
        (
            "json",
            {
                "child_id": "{child}",
                "activity_id": "{activity}",
                "weekdays": [0, 1],
                "from": "{first_day}",
                "to": "{last_day}",
                "mode": mode,
            },
        )
        for mode in ("reserve", "cancel")
    ],
    "api:planning": [("query", {"week": "{week}", "child_id": "{child}"})],
    "reservations:waiting_list": [
        ("form", {"child": "{child}", "session": "{session}", "action": action})
        for action in ("join", "leave")
    ],
    # Household A's child on a day: unknown to household B (nothing joins any list).
    "api:waiting-list": [("json", {"child_id": "{child}", "session_id": "{session}"})],
    # A démarche naming household A's child: refused (the data's ids are the caller's).
    "api:requests": [
        (
            "json",
            {
                "procedure": "enrolment",
                "data": {
                    "child_id": "{child}",
                    "activity_id": "{activity}",
                    "valid_from": "{first_day}",
                    "valid_to": "{last_day}",
                },
                "submit": True,
            },
        )
    ],
    # Not a family route (any account has it), but its form names a token by id.
    "api_pages:tokens": [("form", {"token_id": "{api_token_id}"})],
}
WRITES_WITHOUT_IDS = {
    "families:documents": "a list of the caller's own documents (GET)",
    "families:phone_change": "the caller's own telephone",
    "families:calendar_settings": "the caller's own feed",
    "reminders:preferences": "the caller's own reminder choices (kind codes)",
    "reservations:draw_status": "the caller's own requests for the draws (GET)",
    "reservations:basket": "the caller's own open basket",
    "reservations:basket_cancel": "drops the caller's own open basket",
    "reservations:basket_pdf": "the caller's own basket (GET)",
    "billing:checkout": "pays the caller's own basket (expected_due_cents only)",
    "billing:credits": "the caller's own credit (GET)",
    "api:household": "the caller's own household (GET)",
    "api:baskets": "the caller's own baskets (GET)",
    "api:credits": "the caller's own credit (GET)",
    "api:basket-checkout": "pays the caller's own basket (expected_due_cents only)",
    "billing:invoices": "the caller's own invoices (GET)",
    "billing:certificates": "the caller's own certificates of a year (year only)",
    "api:invoices": "the caller's own invoices (GET)",
    "procedures:list": "the caller's own requests (GET)",
    "procedures:start": "a new request of the caller's own household; the ids in its data "
    "are checked against that household (tests/procedures/core/test_households.py)",
    "api:procedures": "the procedures open to every family (GET)",
}


def household_routes() -> list[str]:
    """Family routes that household B's parent may use for its own household."""
    return [route.key for route in ROUTES if (rule := rule_for(route)) is not None and rule.family]


def test_every_family_write_is_probed_with_another_households_ids():
    missing = sorted(
        set(household_routes()) - set(CROSS_HOUSEHOLD_WRITES) - set(WRITES_WITHOUT_IDS)
    )
    assert not missing, (
        f"{missing}: give a body naming household A's objects in CROSS_HOUSEHOLD_WRITES, "
        "or say in WRITES_WITHOUT_IDS why its input names nothing of another household"
    )


def fill(template: object, values: dict[str, str]) -> object:
    if isinstance(template, str):
        text = template.format(**values)
        return int(text) if template.startswith("{") and text.isdigit() else text
    if isinstance(template, list):
        return [fill(item, values) for item in template]
    if isinstance(template, dict):
        return {key: fill(item, values) for key, item in template.items()}
    return template


CROSS_CASES = [
    pytest.param(route, kind, body, id=f"{route.key}-{kind}-{n}")
    for route in ROUTES
    for n, (kind, body) in enumerate(CROSS_HOUSEHOLD_WRITES.get(route.key, []))
]


@pytest.mark.parametrize(("route", "kind", "body"), CROSS_CASES)
def test_another_households_ids_change_nothing(matrix, values, route, kind, body, db):
    """Household B's parent sends household A's child, bookings and sessions: refused
    (or shown as errors), no row of any table written, nothing of household A shown."""
    path = path_of(route, {})
    client, headers = client_for(matrix, OTHER, route)
    data = fill(body, values)
    if kind == "json":
        response = client.post(path, data=data, content_type="application/json", **headers)
    elif kind == "form":
        data = {
            key: str(value) if not isinstance(value, list) else value for key, value in data.items()
        }
        response = client.post(path, data, **headers)
    else:
        response = client.get(path, {key: str(value) for key, value in data.items()}, **headers)
    assert response.status_code < 500
    changed = urlmatrix.changed_tables(matrix.baseline, urlmatrix.snapshot())
    assert not changed, f"{kind} {path} with household A's ids changed {changed}"
    leaked = [s for s in matrix.world.a.secrets if s.encode() in body_of(response)]
    assert not leaked, f"{kind} {path} as household B's parent shows household A's {leaked}"
