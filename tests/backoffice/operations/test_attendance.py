"""Attendance (pointage): each mark's effect on the family's planning, credit and history,
who may record it, and the tablet sheet."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from portail.backoffice.attendance.marks import MarksRefused, record_marks
from portail.backoffice.attendance.sheet import Mark, attendance_sheet
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change, ChangesRefused
from portail.reservations.models import (
    Attendance,
    BasketLine,
    BasketStatus,
    Channel,
    HistoryAction,
    HistoryEntry,
    LineKind,
)
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests import factories
from tests.factories import paid_booking
from tests.world.booking import held_request
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def cell(town, child, session):
    planning = week_planning(child.household, session.date)
    (found,) = [c for c in planning.cells if c.child_id == child.pk and c.session_id == session.pk]
    return found


def sheet_url(session) -> str:
    return reverse("backoffice:attendance") + f"?seance={session.pk}"


def test_the_sheet_lists_the_booked_children_and_the_enrolled_ones_without_booking(town):
    paid_booking(town.emy, town.today)
    held_request(town.lise, town.today)
    sheet = attendance_sheet(town.today)
    assert [(r.child.first_name, r.kind) for r in sheet.booked] == [
        ("Emy", "booked"),
        ("Lise", "requested"),
    ]
    assert [(r.child.first_name, r.kind) for r in sheet.unbooked] == [("Tom", "unbooked")]
    assert [r.marks for r in sheet.booked] == [
        ("present", "absent", "absent_justified"),
        ("present", "absent"),
    ]
    assert sheet.unbooked[0].marks == ("present_unbooked", "absent")


def test_present_locks_the_day_with_attendance_recorded_and_writes_the_history(town):
    booking = paid_booking(town.emy, town.future)
    before = cell(town, town.emy, town.future)
    assert before.state == CellState.RESERVED and before.editable  # cancellable until marked
    # A future day cannot be marked...
    with pytest.raises(MarksRefused):
        record_marks(town.future, [(town.emy.pk, Mark.PRESENT)], actor=town.gestionnaire)
    # ... but on the day it can (the service's own clock: the day has come).
    on_the_day = timezone.make_aware(
        datetime.datetime.combine(town.future.date, datetime.time(12, 5))
    )
    (result,) = record_marks(
        town.future, [(town.emy.pk, Mark.PRESENT)], actor=town.pointage, now=on_the_day
    )
    assert result.changed and result.mark == Mark.PRESENT
    after = cell(town, town.emy, town.future)
    assert after.state == CellState.ATTENDANCE_RECORDED and not after.editable
    with pytest.raises(ChangesRefused) as refused:
        submit_changes(
            town.martin,
            add=[],
            cancel=[Change(town.emy.pk, town.future.pk)],
            actor=town.parent,
            channel=Channel.WEB,
            bypass_deadlines=False,
        )
    assert refused.value.refusals[0].code == "locked"
    entry = HistoryEntry.objects.get(child=town.emy, session=town.future)
    assert (entry.action, entry.price_cents, entry.channel) == (
        HistoryAction.ATTENDANCE_PRESENT,
        booking.price_cents,
        Channel.BACKOFFICE,
    )
    with translation.override("en"):
        assert entry.who == "Management service"  # the family never sees the agent's name
    assert entry.actor_label == town.pointage.email
    action = StaffAction.objects.get(kind=StaffActionKind.ATTENDANCE)
    assert action.household == town.martin
    assert action.actor_label == "Karim BENALI <pointage@example.org>"


def test_absent_shows_not_used_and_gives_no_credit(town):
    paid_booking(town.emy, town.today)
    record_marks(town.today, [(town.emy.pk, Mark.ABSENT)], actor=town.gestionnaire)
    assert cell(town, town.emy, town.today).state == CellState.NOT_USED
    assert credits.balance_cents(town.martin) == 0
    assert HistoryEntry.objects.get(child=town.emy).action == HistoryAction.ATTENDANCE_ABSENT


def test_a_justified_absence_credits_the_price_once_and_is_final(town):
    booking = paid_booking(town.emy, town.today, price=555)
    record_marks(town.today, [(town.emy.pk, Mark.ABSENT)], actor=town.pointage)
    # The certificate comes in: the mark becomes justified, the price becomes credit.
    (result,) = record_marks(
        town.today, [(town.emy.pk, Mark.ABSENT_JUSTIFIED)], actor=town.gestionnaire
    )
    assert result.credit_cents == 555
    entry = CreditEntry.objects.get(household=town.martin)
    assert (entry.kind, entry.amount_cents, entry.booking_id) == (
        CreditKind.JUSTIFIED_ABSENCE,
        555,
        booking.pk,
    )
    assert credits.balance_cents(town.martin) == 555
    assert cell(town, town.emy, town.today).state == CellState.NOT_USED
    # Sent again: nothing changes, no second credit.
    (again,) = record_marks(
        town.today, [(town.emy.pk, Mark.ABSENT_JUSTIFIED)], actor=town.gestionnaire
    )
    assert not again.changed
    assert CreditEntry.objects.count() == 1
    # Final: it cannot become present (the credit would stay).
    with pytest.raises(MarksRefused) as refused:
        record_marks(town.today, [(town.emy.pk, Mark.PRESENT)], actor=town.gestionnaire)
    assert "can no longer change" in refused.value.errors[town.emy.pk]
    history = list(
        HistoryEntry.objects.filter(child=town.emy).values_list("action", "detail", "price_cents")
    )
    assert history == [
        (HistoryAction.ATTENDANCE_ABSENT, "", 555),
        (HistoryAction.ATTENDANCE_ABSENT, "justified_absence", 555),
    ]


def test_present_without_booking_is_due_at_the_late_price_and_listed_for_the_household(town):
    (result,) = record_marks(
        town.today, [(town.tom.pk, Mark.PRESENT_UNBOOKED)], actor=town.pointage
    )
    assert result.charge_cents == 555
    mark = Attendance.objects.get(child=town.tom, session=town.today)
    assert (mark.present, mark.charge_cents) == (True, 555)
    assert cell(town, town.tom, town.today).state == CellState.ATTENDANCE_RECORDED
    entry = HistoryEntry.objects.get(child=town.tom)
    assert (entry.action, entry.detail, entry.price_cents) == (
        HistoryAction.ATTENDANCE_PRESENT,
        "present_unbooked",
        555,
    )
    html = Template("{% load attendance_charges %}{% unbooked_charges household %}").render(
        Context({"household": town.durand})
    )
    assert "Tom" in html and "€5.55" in html
    page = client_for(town.gestionnaire, "en").get(
        reverse("backoffice:household", args=[town.durand.pk])
    )
    assert 'id="unbooked"' in page.content.decode() and "€5.55" in page.content.decode()
    assert credits.balance_cents(town.durand) == 0  # not taken from the credit
    # "Not here" removes the mark and its amount due (a mistap on the tablet).
    record_marks(town.today, [(town.tom.pk, Mark.ABSENT)], actor=town.pointage)
    assert not Attendance.objects.filter(child=town.tom).exists()
    assert HistoryEntry.objects.filter(child=town.tom).last().detail == "attendance_corrected"


def test_marks_that_do_not_fit_the_child_are_refused_and_nothing_changes(town):
    paid_booking(town.emy, town.today)
    held_request(town.lise, town.today)
    stranger = factories.child(factories.household())
    with pytest.raises(MarksRefused) as refused:
        record_marks(
            town.today,
            [
                (town.emy.pk, Mark.PRESENT),  # fine, but the whole sheet is refused
                (town.lise.pk, Mark.ABSENT_JUSTIFIED),  # not paid: nothing to credit
                (town.tom.pk, Mark.PRESENT),  # no booking: present_unbooked
                (stranger.pk, Mark.PRESENT),  # neither booked nor enrolled
            ],
            actor=town.gestionnaire,
        )
    assert set(refused.value.errors) == {town.lise.pk, town.tom.pk, stranger.pk}
    assert not Attendance.objects.exists()
    assert not HistoryEntry.objects.exists()


def test_a_closed_day_cannot_be_marked(town):
    paid_booking(town.emy, town.yesterday)
    town.yesterday.is_open = False
    town.yesterday.closed_reason = "Grève"
    town.yesterday.save()
    with pytest.raises(MarksRefused):
        record_marks(town.yesterday, [(town.emy.pk, Mark.PRESENT)], actor=town.gestionnaire)


def test_a_justified_absence_waits_for_a_cancellation_already_in_the_basket(town):
    booking = paid_booking(town.emy, town.today)
    basket = held_request(town.lise, town.yesterday).basket
    BasketLine.objects.create(
        basket=basket,
        kind=LineKind.CANCELLATION,
        child=town.emy,
        session=town.today,
        booking=booking,
        quantity=-1,
        unit_price_cents=370,
    )
    assert basket.status == BasketStatus.OPEN
    with pytest.raises(MarksRefused):
        record_marks(town.today, [(town.emy.pk, Mark.ABSENT_JUSTIFIED)], actor=town.gestionnaire)
    record_marks(town.today, [(town.emy.pk, Mark.ABSENT)], actor=town.gestionnaire)


def test_an_activity_without_booking_marks_every_enrolled_child_at_no_cost(town):
    sheet = attendance_sheet(town.alae_today)
    assert {r.kind for r in sheet.booked} == {"free"} and not sheet.unbooked
    record_marks(
        town.alae_today,
        [(town.emy.pk, Mark.PRESENT), (town.tom.pk, Mark.ABSENT_JUSTIFIED)],
        actor=town.pointage,
    )
    assert not CreditEntry.objects.exists()
    assert Attendance.objects.get(child=town.emy).charge_cents is None
    with pytest.raises(MarksRefused) as refused:
        record_marks(town.alae_today, [(town.lise.pk, Mark.PRESENT_UNBOOKED)], actor=town.pointage)
    assert "needs no booking" in refused.value.errors[town.lise.pk]


def test_an_attendance_agent_records_on_its_own_sites_only(town):
    paid_booking(town.tom, town.other_today)
    with pytest.raises(PermissionDenied):
        record_marks(town.other_today, [(town.tom.pk, Mark.PRESENT)], actor=town.pointage)
    client = client_for(town.pointage, "en")
    assert client.get(sheet_url(town.other_today)).status_code == 403
    response = client.post(
        reverse("backoffice:attendance_record", args=[town.other_today.pk]),
        {f"mark-{town.tom.pk}": "present"},
    )
    assert response.status_code == 403
    api = client.post(
        "/api/v1/staff/attendance",
        {"session_id": town.other_today.pk, "child_id": town.tom.pk, "status": "present"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not Attendance.objects.exists()
    with pytest.raises(PermissionDenied):
        record_marks(town.today, [(town.tom.pk, Mark.PRESENT_UNBOOKED)], actor=town.cuisine)


def test_the_tablet_sheet_records_the_whole_list_in_one_form(town):
    paid_booking(town.emy, town.today)
    paid_booking(town.lise, town.today)
    client = client_for(town.pointage, "en")
    page = client.get(sheet_url(town.today))
    html = page.content.decode()
    assert page.status_code == 200
    assert f'name="mark-{town.emy.pk}"' in html and 'value="absent_justified"' in html
    assert f'for="mark-{town.emy.pk}-present">' in html  # a label per choice
    assert "€" not in html  # an agent sees no amount
    response = client.post(
        reverse("backoffice:attendance_record", args=[town.today.pk]),
        {
            f"mark-{town.emy.pk}": "present",
            f"mark-{town.lise.pk}": "absent",
            f"mark-{town.tom.pk}": "present_unbooked",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith(f"?seance={town.today.pk}")
    marks = dict(Attendance.objects.values_list("child__first_name", "present"))
    assert marks == {"Emy": True, "Lise": False, "Tom": True}
    follow = client.get(response["Location"]).content.decode()
    assert "3 marks recorded." in follow


def test_a_refused_sheet_shows_each_error_and_records_nothing(town):
    held_request(town.lise, town.today)
    client = client_for(town.gestionnaire, "en")
    response = client.post(
        reverse("backoffice:attendance_record", args=[town.today.pk]),
        {f"mark-{town.lise.pk}": "absent_justified", f"mark-{town.tom.pk}": "present_unbooked"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Nothing was recorded" in html
    assert f'href="#mark-{town.lise.pk}"' in html
    assert "The reservation is not paid yet" in html
    assert not Attendance.objects.exists()
    bad = client.post(
        reverse("backoffice:attendance_record", args=[town.today.pk]),
        {f"mark-{town.tom.pk}": "maybe"},
    )
    assert bad.status_code == 400 and not Attendance.objects.exists()


def test_the_day_list_shows_the_agents_sessions(town):
    paid_booking(town.emy, town.today)
    html = client_for(town.pointage, "en").get(reverse("backoffice:attendance")).content.decode()
    assert f"?seance={town.today.pk}" in html and f"?seance={town.alae_today.pk}" in html
    assert f"?seance={town.other_today.pk}" not in html
    assert "1 child expected" in html


def test_the_api_records_one_mark(town):
    paid_booking(town.emy, town.today)
    client = client_for(town.pointage, "en")

    def post(child, status, session=town.today):
        return client.post(
            "/api/v1/staff/attendance",
            {"session_id": session.pk, "child_id": child.pk, "status": status},
            content_type="application/json",
        )

    ok = post(town.emy, "absent")
    assert ok.status_code == 200
    assert ok.json() == {
        "session_id": town.today.pk,
        "child_id": town.emy.pk,
        "status": "absent",
        "changed": True,
    }
    assert post(town.emy, "absent").json()["changed"] is False
    refused = post(town.tom, "present")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "attendance_refused"
    stranger = factories.child(factories.household())
    assert post(stranger, "present").status_code == 404
    assert post(town.emy, "late").status_code == 422
    future = post(town.emy, "present", session=town.future)
    assert future.status_code == 409
    kitchen = client_for(town.cuisine, "en").post(
        "/api/v1/staff/attendance",
        {"session_id": town.today.pk, "child_id": town.emy.pk, "status": "present"},
        content_type="application/json",
    )
    assert kitchen.status_code == 403
    parent = client_for(town.parent, "en").post(
        "/api/v1/staff/attendance",
        {"session_id": town.today.pk, "child_id": town.emy.pk, "status": "present"},
        content_type="application/json",
    )
    assert parent.status_code == 403
    assert Attendance.objects.get(child=town.emy).present is False
