"""How the recap folds a day's history into events: each sequence the services write
gives the rows a parent reads (one per event), whatever the order of steps."""

import datetime

import pytest
from django.utils import translation

from portail.reservations import history
from portail.reservations.models import Attendance, Channel, HistoryAction, HistoryDetail
from portail.reservations.recap import enrolment_rows
from tests import factories
from tests.clock import paris

pytestmark = pytest.mark.django_db

ADD, REMOVE = HistoryAction.ADD_RESERVATION, HistoryAction.REMOVE_RESERVATION
PRESENT, ABSENT = HistoryAction.ATTENDANCE_PRESENT, HistoryAction.ATTENDANCE_ABSENT
DAY = datetime.date(2023, 5, 15)


def write(story, steps) -> list:
    """Writes (action, detail, actor, minute) steps on Emy's Monday 15 May 2023; returns
    that day's recap rows."""
    session = factories.session(story.canteen, DAY)
    for action, detail, actor, minute in steps:
        history.record(
            child=story.emy,
            session=session,
            action=action,
            actor=actor,
            channel=Channel.BACKOFFICE if actor is story.staff else Channel.WEB,
            price_cents=370,
            detail=detail,
            at=paris(2023, 5, 2, 9, 0) + datetime.timedelta(minutes=minute),
        )
    return [row for row in enrolment_rows(story.enrolment) if row.date == DAY]


@pytest.fixture(autouse=True)
def english():
    """The rows' words (who, labels) are read in English."""
    with translation.override("en"):
        yield


def summary(rows) -> list[tuple]:
    return [(r.event, r.who, r.when.strftime("%H:%M"), r.detail_label, r.credit_text) for r in rows]


def test_a_request_paid_later_is_one_row_saying_when(story):
    D = HistoryDetail
    rows = write(story, [(ADD, D.REQUESTED, story.parent, 0), (ADD, D.PAID, None, 12)])
    assert summary(rows) == [
        ("booked", story.parent.email, "09:00", "Paid online on 02/05/2023 at 09:12", "")
    ]
    assert rows[0].action == ADD and rows[0].absent is None and not rows[0].pending


def test_a_request_not_confirmed_then_paid_late(story):
    D = HistoryDetail
    steps = [
        (ADD, D.REQUESTED, story.parent, 0),
        (REMOVE, D.NOT_CONFIRMED, None, 20),
        (ADD, D.LATE_PAYMENT, None, 40),
    ]
    assert [r[:4] for r in summary(write(story, steps))] == [
        ("requested", story.parent.email, "09:00", "Reservation requested"),
        (
            "request_removed",
            "Automatic (portal)",
            "09:20",
            "Not confirmed (place taken or day closed)",
        ),
        ("booked", "Automatic (portal)", "09:40", "Confirmed by a payment received late"),
    ]


def test_a_cancellation_withdrawn_leaves_the_booking_standing(story):
    D = HistoryDetail
    steps = [
        (ADD, D.REQUESTED, story.parent, 0),
        (ADD, D.PAID, story.parent, 0),
        (REMOVE, D.CANCELLATION_REQUESTED, story.parent, 60),
        (ADD, D.CANCELLATION_WITHDRAWN, None, 120),
    ]
    assert [r[:4] for r in summary(write(story, steps))] == [
        ("booked", story.parent.email, "09:00", "Paid online"),
        ("cancellation_requested", story.parent.email, "10:00", "Cancellation requested"),
        ("cancellation_withdrawn", "Automatic (portal)", "11:00", "Cancellation withdrawn"),
    ]


def test_a_cancellation_waiting_for_its_basket_says_so(story):
    D = HistoryDetail
    steps = [
        (ADD, D.PAID_AT_COUNTER, story.staff, 0),
        (REMOVE, D.CANCELLATION_REQUESTED, story.parent, 5),
    ]
    rows = write(story, steps)
    assert [r[:4] for r in summary(rows)] == [
        ("booked", "Management service", "09:00", "Paid at the counter"),
        (
            "cancellation_requested",
            story.parent.email,
            "09:05",
            "Cancellation requested: basket not validated yet",
        ),
    ]
    assert rows[1].pending


def test_a_day_closed_by_the_service_is_cancelled_with_its_credit(story):
    D = HistoryDetail
    steps = [(ADD, D.VALIDATED, story.parent, 0), (REMOVE, D.SESSION_CLOSED, story.staff, 30)]
    assert summary(write(story, steps))[1] == (
        "cancelled",
        "Management service",
        "09:30",
        "Day closed by the service: price credited",
        "Credit: €3.70",
    )


def test_the_days_attendance_is_one_row_its_last_mark(story):
    D = HistoryDetail
    steps = [
        (ADD, D.PAID, story.parent, 0),
        (PRESENT, "", story.staff, 60),
        (ABSENT, D.ATTENDANCE_CORRECTED, story.staff, 90),
        (ABSENT, D.JUSTIFIED_ABSENCE, story.staff, 120),
    ]
    rows = write(story, steps)
    assert summary(rows)[1:] == [
        (
            "absent",
            "Management service",
            "11:00",
            "Justified absence: price credited",
            "Credit: €3.70",
        )
    ]
    assert rows[1].absent is True and rows[1].absence_text == "Yes"


def test_a_waiting_list_offer_not_taken(story):
    D = HistoryDetail
    steps = [(ADD, D.WAITING_OFFER, None, 0), (REMOVE, D.OFFER_EXPIRED, None, 60 * 24)]
    assert [r[:4] for r in summary(write(story, steps))] == [
        ("requested", "Automatic (portal)", "09:00", "Place offered from the waiting list"),
        ("request_removed", "Automatic (portal)", "09:00", "Waiting-list offer not taken in time"),
    ]


def test_a_mark_without_attendance_history_still_shows(story):
    rows = write(story, [(ADD, HistoryDetail.PAID, story.parent, 0)])
    session = rows and story.canteen.sessions.get(date=DAY)
    Attendance.objects.create(
        child=story.emy, session=session, present=False, recorded_by=story.staff
    )
    rows = [row for row in enrolment_rows(story.enrolment) if row.date == DAY]
    assert [(r.event, r.absent, r.who) for r in rows] == [
        ("booked", None, story.parent.email),
        ("absent", True, "Management service"),
    ]
