"""The one-way state machine: every allowed move, every refused one (nothing written),
who may make which move, and what the database itself refuses."""

import pytest
from django.db import IntegrityError, transaction

from portail.procedures import services
from portail.procedures.models import Request, RequestEvent
from portail.procedures.statuses import RequestRefused
from tests.world import staff
from tests.world.procedures import BACKOFFICE, WEB, desk, request_in

pytestmark = pytest.mark.django_db

ALL = ["draft", "submitted", "in_progress", "needs_info", "accepted", "refused", "waiting_list"]


@pytest.fixture
def d():
    return desk()


def do(d, move, request):
    staff = {"actor": d.staff, "channel": BACKOFFICE}
    family = {"actor": d.user, "channel": WEB}
    pk = request.pk
    return {
        "submit": lambda: services.submit(d.household, pk, **family),
        "take": lambda: services.take(pk, **staff),
        "ask_more": lambda: services.ask_more(pk, "Le justificatif manque.", **staff),
        "accept": lambda: services.accept(pk, **staff),
        "refuse": lambda: services.refuse(pk, "Hors délai.", **staff),
        "waiting_list": lambda: services.put_on_waiting_list(pk, **staff),
    }[move]()


ALLOWED = {
    "submit": {"draft": "submitted", "needs_info": "submitted"},
    "take": {"submitted": "in_progress"},
    "ask_more": {"submitted": "needs_info", "in_progress": "needs_info"},
    "accept": {"submitted": "accepted", "in_progress": "accepted", "waiting_list": "accepted"},
    "refuse": {"submitted": "refused", "in_progress": "refused", "waiting_list": "refused"},
    "waiting_list": {"submitted": "waiting_list", "in_progress": "waiting_list"},
}
CASES = [
    (move, status)
    for move in ALLOWED
    for status in ALL
    if status != "waiting_list" or move != "submit"
]


@pytest.mark.parametrize(("move", "status"), CASES)
def test_each_move_from_each_status(d, move, status):
    # early childhood has every status (the waiting list is its own); contact the others
    code = "early_childhood" if status == "waiting_list" or move == "waiting_list" else "contact"
    request = request_in(d, code, status)
    events = RequestEvent.objects.count()
    target = ALLOWED[move].get(status)
    if target is None:
        with pytest.raises(RequestRefused) as refused:
            do(d, move, request)
        assert refused.value.code == "status"
        assert Request.objects.get(pk=request.pk).status == status
        assert RequestEvent.objects.count() == events
        return
    do(d, move, request)
    request.refresh_from_db()
    assert request.status == target
    last = request.events.last()
    assert (last.kind, last.status) == ("status_change", target)
    assert RequestEvent.objects.count() == events + 1
    assert request.submitted_at is not None
    assert (request.decided_at is not None) == (target in ("accepted", "refused"))


def test_the_refusal_message_says_the_status(d):
    request = request_in(d, "contact", "accepted")
    with pytest.raises(RequestRefused) as refused:
        do(d, "refuse", request)
    assert refused.value.message == "This request is “Accepted”: this cannot be done now."


def test_only_early_childhood_has_a_waiting_list(d):
    request = request_in(d, "enrolment", "in_progress")
    with pytest.raises(RequestRefused) as refused:
        do(d, "waiting_list", request)
    assert refused.value.message == "Only early childhood requests have a waiting list."


def test_a_family_cannot_decide_and_staff_cannot_submit(d):
    request = request_in(d, "contact", "submitted")
    with pytest.raises(RequestRefused) as refused:
        services.accept(request.pk, actor=d.user, channel=WEB)
    assert refused.value.code == "forbidden"
    draft = request_in(d, "contact", "draft")
    with pytest.raises(RequestRefused) as refused:
        services.submit(d.household, draft.pk, actor=d.staff, channel=BACKOFFICE)
    assert refused.value.code == "forbidden"
    assert Request.objects.get(pk=draft.pk).status == "draft"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_refusal_needs_a_reason(d, reason):
    request = request_in(d, "contact", "in_progress")
    with pytest.raises(RequestRefused) as refused:
        services.refuse(request.pk, reason, actor=d.staff, channel=BACKOFFICE)
    assert refused.value.fields == {"message": "Give the reason for the refusal."}
    assert Request.objects.get(pk=request.pk).status == "in_progress"


def test_asking_for_more_needs_a_message(d):
    request = request_in(d, "contact", "in_progress")
    with pytest.raises(RequestRefused) as refused:
        services.ask_more(request.pk, "", actor=d.staff, channel=BACKOFFICE)
    assert refused.value.fields == {"message": "Say what the family must complete."}


def test_the_refusal_reason_is_kept_and_the_database_requires_one(d):
    request = request_in(d, "contact", "refused")
    assert request.refusal_reason == "Hors délai."
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=request.pk).update(refusal_reason="")
    draft = request_in(d, "contact", "draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=draft.pk).update(submitted_at=request.submitted_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=request.pk).update(decided_at=None)


def test_taking_assigns_and_assign_hands_over(d):
    request = request_in(d, "contact", "in_progress")
    assert request.assigned_to == d.staff
    colleague = staff.gestionnaire()
    services.assign(request.pk, colleague, actor=d.staff, channel=BACKOFFICE)
    request.refresh_from_db()
    assert request.assigned_to == colleague
    event = request.events.last()
    assert (event.kind, event.message) == ("assigned", colleague.email)
    with pytest.raises(RequestRefused):
        services.assign(request.pk, d.user, actor=d.staff, channel=BACKOFFICE)


def test_decide_is_the_api_decision(d):
    request = request_in(d, "contact", "submitted")
    services.decide(request.pk, "ask_more", "Précisez.", actor=d.staff, channel="api")
    assert Request.objects.get(pk=request.pk).status == "needs_info"
    with pytest.raises(RequestRefused) as refused:
        services.decide(request.pk, "maybe", "", actor=d.staff, channel="api")
    assert refused.value.fields == {"decision": "Unknown decision."}
