"""The OpenAPI document describes the planning and the basket with their exact keys."""

import pytest

from .calls import BASKET_KEYS, CELL_KEYS, LINE_KEYS

pytestmark = pytest.mark.django_db


def test_openapi_documents_the_planning_and_the_basket(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]["/planning"]) == {"get"}
    assert set(document["paths"]["/basket"]) == {"get", "post", "delete"}
    post = document["paths"]["/basket"]["post"]
    assert "201" in post["responses"] and "422" in post["responses"]
    assert "invalid_changes" in post["responses"]["422"]["description"]
    schemas = document["components"]["schemas"]
    assert set(schemas["PlanningCell"]["properties"]) == CELL_KEYS
    assert set(schemas["Basket"]["properties"]) == BASKET_KEYS
    assert set(schemas["BasketLine"]["properties"]) == LINE_KEYS
    assert set(schemas["PlanningWeek"]["properties"]) == {"week", "start", "end", "cells"}
