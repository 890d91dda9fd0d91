"""The typical week's dry run answers 200 (the change itself 201): both are documented."""

import json

import pytest
from django.test import Client

from tests.api.conftest import bearer, get_token
from tests.api.document import document, operation
from tests.world.commune import seed_family

pytestmark = pytest.mark.django_db

PATH = "/basket/typical-week"


def test_the_dry_run_answers_200_and_the_document_says_so():
    world = seed_family()
    client = Client(headers=bearer(get_token(Client(), world.user.email)))
    body = {
        "child_id": world.emy.pk,
        "activity_id": world.activity.pk,
        "weekdays": [0],
        "from": world.start.isoformat(),
        "to": world.end.isoformat(),
        "dry_run": True,
    }

    response = client.post(f"/api/v1{PATH}", json.dumps(body), content_type="application/json")

    assert response.status_code == 200, response.content
    responses = operation(document(), "POST", PATH)["responses"]
    assert {"200", "201"} <= set(responses)
    schema = {"$ref": "#/components/schemas/TypicalWeekPlan"}
    assert responses["200"]["content"]["application/json"]["schema"] == schema
    assert responses["201"]["content"]["application/json"]["schema"] == schema
