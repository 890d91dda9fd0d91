"""Two staff members accepting one request at once: it is accepted once, its effect
applied once (one enrolment), the other told it is already decided. The request's row
is locked (SELECT ... FOR NO KEY UPDATE on PostgreSQL; SQLite's write lock at BEGIN
IMMEDIATE) and its status read again under the lock."""

import threading

import pytest
from django.db import connection

from portail.activities.models import Enrolment
from portail.procedures import services
from portail.procedures.models import RequestEvent
from portail.procedures.statuses import RequestRefused
from tests.world import staff
from tests.world.procedures import BACKOFFICE, desk, request_in

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def test_two_staff_accepting_at_once_apply_it_once():
    d = desk()
    request = request_in(d, "enrolment", "in_progress")
    deciders = [d.staff, staff.gestionnaire()]
    barrier = threading.Barrier(len(deciders))
    outcomes: list[str | None] = [None] * len(deciders)

    def race(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.accept(request.pk, actor=deciders[index], channel=BACKOFFICE)
            outcomes[index] = "accepted"
        except RequestRefused as refused:
            outcomes[index] = refused.code
        except BaseException as error:  # reported below
            outcomes[index] = repr(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(i,)) for i in range(len(deciders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["accepted", "status"]
    assert Enrolment.objects.filter(child=d.child).count() == 1
    assert RequestEvent.objects.filter(request=request, status="accepted").count() == 1
