"""One world per test module (module-scoped, rolled back at the end); each test runs in a
savepoint of it, so the POSTs and the GETs that act (confirmation links) leave nothing
behind."""

import contextlib

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security import urlmatrix

from .answers import FAST_HASHER, Matrix


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """One world for the module, rolled back when the module is done."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(PASSWORD_HASHERS=FAST_HASHER))
        stack.enter_context(transaction.atomic())
        world = urlmatrix.build_world()
        values = urlmatrix.parameter_sources(world)
        values["payment_idop"] = world.a.payment.idop
        values["day"] = world.session.date.isoformat()
        yield Matrix(world, values, urlmatrix.snapshot())
        transaction.set_rollback(True)


@pytest.fixture
def values(matrix) -> dict[str, str]:
    """The parameters' values for this test: the world's, and fresh e-mailed links."""
    return {**matrix.values, **urlmatrix.link_tokens(matrix.world)}
