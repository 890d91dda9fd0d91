"""The matrix walks the whole URL configuration, every pattern and parameter is declared,
and no declaration names a pattern that is gone."""

import pytest

from .expectations import EXCLUDED, EXPECTATIONS, ROUTE_PARAMETERS, ROUTES, parameter_kind, rule_for


def test_the_matrix_walks_the_whole_url_configuration():
    names = {route.key for route in ROUTES}
    # A sample from every include: if one vanished from the walk, the matrix would shrink.
    for name in (
        "families:home",
        "reservations:planning",
        "billing:checkout",
        "payfip:notify",
        "accounts:login",
        "backoffice:household",
        "api:child-history",
        "api:not-found",
        "set_language",
        "admin:index",
        "admin:families_child_change",
        "core:help",
    ):
        assert name in names, name
    assert len(ROUTES) >= 92


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.key)
def test_every_pattern_is_declared(route):
    if route.key in EXCLUDED:
        return
    assert rule_for(route) is not None, (
        f"{route.key!r} ({route.route}) is in no expectation table: declare who may open it "
        "in EXPECTATIONS of tests/security/url_roles/expectations.py"
    )
    for param in route.params:
        assert parameter_kind(route, param) is not None, (
            f"URL parameter {param!r} of {route.key!r} ({route.route}) is not declared in "
            "PARAMETERS or ROUTE_PARAMETERS of tests/security/url_roles/expectations.py"
        )


def test_no_expectation_names_a_pattern_that_is_gone():
    names = {route.key for route in ROUTES}
    stale = sorted(set(EXPECTATIONS) - names)
    stale += sorted({key for key, _param in ROUTE_PARAMETERS} - names)
    assert not stale, f"declared but no longer in the URL configuration: {stale}"
