"""A day's capacity and its closing: the effect on the families' planning, credit,
basket, e-mails and history; who may do it."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from portail.backoffice.households import Refused
from portail.backoffice.models import StaffAction, StaffActionKind
from portail.backoffice.sessions import change_capacity, close_session
from portail.billing import credits
from portail.billing.models import CreditEntry, CreditKind
from portail.families.models import Document
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import (
    Attendance,
    Basket,
    BasketStatus,
    Booking,
    BookingStatus,
    Channel,
    HistoryAction,
    HistoryEntry,
)
from portail.reservations.planning import week_planning
from portail.reservations.states import CellState
from tests import factories
from tests.factories import paid_booking
from tests.world.booking import held_request
from tests.world.staff import client_for

pytestmark = pytest.mark.django_db


def cell(child, session):
    planning = week_planning(child.household, session.date)
    (found,) = [c for c in planning.cells if c.child_id == child.pk and c.session_id == session.pk]
    return found


def detail_url(session) -> str:
    return reverse("backoffice:sessions") + f"?seance={session.pk}"


# --- capacity ------------------------------------------------------------------------------


def test_the_capacity_never_goes_below_the_places_taken(town):
    paid_booking(town.emy, town.future)
    held_request(town.lise, town.future)  # held: takes a place
    held_request(town.tom, town.future, minutes=-5)  # lapsed: takes none
    with pytest.raises(Refused) as refused:
        change_capacity(town.future, 1, actor=town.gestionnaire)
    assert "2 places are already taken" in refused.value.message
    town.future.refresh_from_db()
    assert town.future.capacity == 30
    change = change_capacity(town.future, 2, actor=town.gestionnaire)
    assert (change.previous, change.capacity, change.taken, change.places_left) == (30, 2, 2, 0)
    town.future.refresh_from_db()
    assert town.future.capacity == 2
    # The family sees it at once: no place left for Tom.
    assert cell(town.tom, town.future).state == CellState.FULL
    action = StaffAction.objects.get(kind=StaffActionKind.SESSION_CHANGED)
    assert "30 → 2" in action.summary and action.actor_label.startswith("Camille ROUX")


def test_the_capacity_page_and_api_for_the_gestionnaire_only(town):
    paid_booking(town.emy, town.future)
    client = client_for(town.gestionnaire, "en")
    page = client.get(detail_url(town.future))
    assert page.status_code == 200 and 'name="capacity-capacity"' in page.content.decode()
    low = client.post(
        reverse("backoffice:session_capacity", args=[town.future.pk]), {"capacity-capacity": "0"}
    )
    assert low.status_code == 400
    assert "1 places are already taken" in low.content.decode()
    ok = client.post(
        reverse("backoffice:session_capacity", args=[town.future.pk]), {"capacity-capacity": "12"}
    )
    assert ok.status_code == 302
    api = client.patch(
        f"/api/v1/staff/sessions/{town.future.pk}", {"capacity": 8}, content_type="application/json"
    )
    assert api.status_code == 200
    assert api.json()["capacity"] == 8 and api.json()["places_left"] == 7
    assert "price" not in str(api.json())
    too_low = client.patch(
        f"/api/v1/staff/sessions/{town.future.pk}", {"capacity": 0}, content_type="application/json"
    )
    assert too_low.status_code == 409
    assert too_low.json()["error"]["code"] == "capacity_below_taken"
    negative = client.patch(
        f"/api/v1/staff/sessions/{town.future.pk}",
        {"capacity": -1},
        content_type="application/json",
    )
    assert negative.status_code == 422
    assert (
        client.patch(
            "/api/v1/staff/sessions/999999", {"capacity": 3}, content_type="application/json"
        ).status_code
        == 404
    )
    for user in (town.pointage, town.cuisine, town.parent):
        other = client_for(user, "en")
        assert other.get(detail_url(town.future)).status_code == 403
        response = other.patch(
            f"/api/v1/staff/sessions/{town.future.pk}",
            {"capacity": 50},
            content_type="application/json",
        )
        assert response.status_code == 403
    town.future.refresh_from_db()
    assert town.future.capacity == 8


# --- closing -------------------------------------------------------------------------------


@pytest.fixture
def busy_day(town):
    """Emy and Lise paid (Lise late, 5,55 €); Tom's request waits in an open basket with
    another day."""
    next_day = factories.session(town.canteen, town.future.date + datetime.timedelta(days=1))
    emy = paid_booking(town.emy, town.future)
    lise = paid_booking(town.lise, town.future, price=555)
    basket = submit_changes(
        town.durand,
        add=[Change(town.tom.pk, town.future.pk), Change(town.tom.pk, next_day.pk)],
        cancel=[],
        actor=town.durand_parent,
        channel=Channel.WEB,
    )
    return {"emy": emy, "lise": lise, "basket": basket, "next_day": next_day}


def test_closing_a_day_credits_every_booking_frees_the_requests_and_emails_the_families(
    town, busy_day
):
    client = client_for(town.gestionnaire, "en")
    response = client.post(
        reverse("backoffice:session_close", args=[town.future.pk]),
        {"close-reason": "Grève du personnel", "close-confirm": "on"},
    )
    assert response.status_code == 302
    town.future.refresh_from_db()
    assert (town.future.is_open, town.future.closed_reason) == (False, "Grève du personnel")
    # Paid bookings: cancelled, the full price (late price included) as credit.
    for key, price in (("emy", 370), ("lise", 555)):
        booking = Booking.objects.get(pk=busy_day[key].pk)
        assert booking.status == BookingStatus.CANCELLED
        entry = CreditEntry.objects.get(booking=booking)
        assert (entry.kind, entry.amount_cents) == (CreditKind.CLOSURE, price)
    assert credits.balance_cents(town.martin) == 925
    # Tom's request left the basket (nothing to pay for a closed day); the other day stays.
    tom = Booking.objects.get(child=town.tom, session=town.future)
    assert tom.status == BookingStatus.RELEASED
    basket = Basket.objects.get(pk=busy_day["basket"].pk)
    assert basket.status == BasketStatus.OPEN
    assert list(basket.lines.values_list("session_id", flat=True)) == [busy_day["next_day"].pk]
    assert credits.balance_cents(town.durand) == 0
    # The planning shows the closure, with its reason, and nothing can be booked.
    for child in (town.emy, town.lise, town.tom):
        block = cell(child, town.future)
        assert block.state == CellState.CLOSED and block.reason == "Grève du personnel"
        assert not block.editable
    # History: the portal cancelled the paid days; the service withdrew Tom's request.
    emy_rows = HistoryEntry.objects.filter(child=town.emy, session=town.future)
    assert list(emy_rows.values_list("action", "detail", "price_cents")) == [
        (HistoryAction.REMOVE_RESERVATION, "session_closed", 370)
    ]
    tom_last = HistoryEntry.objects.filter(child=town.tom, session=town.future).last()
    assert (tom_last.action, tom_last.actor_id, tom_last.channel) == (
        HistoryAction.REMOVE_RESERVATION,
        town.gestionnaire.pk,
        Channel.BACKOFFICE,
    )
    # One e-mail per family, kept in "Mes documents".
    assert sorted(m.to[0] for m in mail.outbox) == [
        "parent.durand@example.org",
        "parent.martin@example.org",
    ]
    martin_mail = next(m for m in mail.outbox if m.to == ["parent.martin@example.org"])
    assert "Grève du personnel" in martin_mail.body
    assert "3,70" in martin_mail.body and "5,55" in martin_mail.body and "9,25" in martin_mail.body
    assert "Emy" in martin_mail.body and "Lise" in martin_mail.body
    assert Document.objects.filter(kind=Document.Kind.CLOSURE_NOTICE).count() == 2
    # The staff's trail keeps who closed the day and why.
    closed = StaffAction.objects.filter(kind=StaffActionKind.SESSION_CLOSED)
    assert {a.household_id for a in closed} == {None, town.martin.pk, town.durand.pk}
    assert all(a.reason == "Grève du personnel" for a in closed)
    assert all(a.actor_label == "Camille ROUX <gestion@example.org>" for a in closed)
    # Head counts: nobody expected, no place left.
    page = client.get(detail_url(town.future)).content.decode()
    assert "This day is closed." in page


def test_the_signal_and_the_service_credit_each_booking_once(
    town, busy_day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        closure = close_session(town.future, "Sortie scolaire", actor=town.gestionnaire)
    assert callbacks  # billing's receiver ran after the commit...
    assert CreditEntry.objects.filter(kind=CreditKind.CLOSURE).count() == 2  # ...once each
    assert (closure.cancelled, closure.withdrawn, closure.credited_cents) == (2, 1, 925)
    assert len(closure.households) == 2


def test_a_day_closed_or_already_marked_cannot_be_closed(town, busy_day):
    close_session(town.future, "Grève", actor=town.gestionnaire)
    outbox = len(mail.outbox)
    with pytest.raises(Refused):
        close_session(town.future, "Encore", actor=town.gestionnaire)
    assert len(mail.outbox) == outbox
    paid_booking(town.emy, town.yesterday)
    Attendance.objects.create(child=town.emy, session=town.yesterday, present=True)
    with pytest.raises(Refused) as refused:
        close_session(town.yesterday, "Grève", actor=town.gestionnaire)
    assert "Attendance has already been recorded" in refused.value.message
    town.yesterday.refresh_from_db()
    assert town.yesterday.is_open
    with pytest.raises(Refused):
        close_session(town.today, "   ", actor=town.gestionnaire)


def test_the_close_api_for_the_gestionnaire_only(town, busy_day):
    for user in (town.pointage, town.cuisine, town.parent):
        response = client_for(user, "en").post(
            f"/api/v1/staff/sessions/{town.future.pk}/close",
            {"reason": "Grève"},
            content_type="application/json",
        )
        assert response.status_code == 403
    town.future.refresh_from_db()
    assert town.future.is_open and not mail.outbox
    client = client_for(town.gestionnaire, "en")
    missing = client.post(
        f"/api/v1/staff/sessions/{town.future.pk}/close", {}, content_type="application/json"
    )
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "reason"
    ok = client.post(
        f"/api/v1/staff/sessions/{town.future.pk}/close",
        {"reason": "Grève"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    body = ok.json()
    assert (
        body["bookings_cancelled"],
        body["requests_withdrawn"],
        body["households_notified"],
    ) == (
        2,
        1,
        2,
    )
    assert body["session"]["is_open"] is False and body["session"]["places_left"] == 0
    again = client.post(
        f"/api/v1/staff/sessions/{town.future.pk}/close",
        {"reason": "Grève"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "session_not_closable"


def test_the_sessions_page_lists_the_days_with_their_places(town):
    paid_booking(town.emy, town.today)
    html = client_for(town.gestionnaire, "en").get(reverse("backoffice:sessions")).content.decode()
    assert "Restauration Scolaire Malves" in html and f"?seance={town.today.pk}" in html
    assert (
        client_for(town.gestionnaire, "en")
        .get(reverse("backoffice:sessions"), {"seance": "x"})
        .status_code
        == 404
    )


def test_closing_a_day_asks_for_confirmation_first(town, busy_day):
    client = client_for(town.gestionnaire, "en")
    detail = reverse("backoffice:sessions") + f"?seance={town.future.pk}"
    page = client.get(detail).content.decode()
    assert 'name="close-confirm"' in page and "I confirm: close this day" in page
    response = client.post(
        reverse("backoffice:session_close", args=[town.future.pk]),
        {"close-reason": "Grève du personnel"},
    )
    assert response.status_code == 400
    assert "Tick the box to confirm that the day is to be closed." in response.content.decode()
    town.future.refresh_from_db()
    assert town.future.is_open
    assert Booking.objects.get(pk=busy_day["emy"].pk).status == BookingStatus.RESERVED


def test_a_closed_day_offers_no_capacity_form(town):
    client = client_for(town.gestionnaire, "en")
    client.post(
        reverse("backoffice:session_close", args=[town.future.pk]),
        {"close-reason": "Sortie scolaire", "close-confirm": "on"},
    )
    detail = reverse("backoffice:sessions") + f"?seance={town.future.pk}"
    page = client.get(detail).content.decode()
    assert "capacity-capacity" not in page
    assert "This day is closed: its capacity does not matter" in page
