"""The actions on a request, each a POST calling procedures.services with the channel
"backoffice" and the signed-in gestionnaire, then back to the request with a message:
take, assign, write, ask for more, accept (the change applied: address, quotient,
enrolment, family file), refuse (a reason required), waiting list. Refusals are said in
words and change nothing."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from portail.activities.models import Enrolment
from portail.families.models import FamilyFile
from portail.procedures.models import EventKind, Request, RequestEvent, RequestStatus
from portail.reservations.models import Channel
from tests.world import staff
from tests.world.procedures import request_in
from tests.world.web import text_of

pytestmark = pytest.mark.django_db
S = RequestStatus


def act(client, request: Request, action: str, **fields):
    data = {"action": action, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("backoffice:request_action", kwargs={"pk": request.pk}), data)


def done(client, request: Request, action: str, **fields) -> tuple[Request, str]:
    """Act, check the redirection to the request, and return it fresh with the page's
    text (the success message included)."""
    response = act(client, request, action, **fields)
    page = reverse("backoffice:request", kwargs={"pk": request.pk})
    assert response.status_code == 302, text_of(response.content.decode())
    assert response["Location"] == page
    text = text_of(client.get(page).content.decode())
    return Request.objects.get(pk=request.pk), text


def last_event(request: Request) -> RequestEvent:
    return RequestEvent.objects.filter(request=request).order_by("pk").last()


def unchanged(request: Request) -> tuple:
    fresh = Request.objects.get(pk=request.pk)
    return (
        fresh.status,
        fresh.assigned_to_id,
        fresh.refusal_reason,
        fresh.decided_at,
        RequestEvent.objects.filter(request=request).count(),
    )


def test_take_starts_processing_assigns_me_and_tells_the_family(desk, desk_client):
    submitted = request_in(desk, "contact", S.SUBMITTED)
    mail.outbox = []
    fresh, text = done(desk_client, submitted, "take")
    assert fresh.status == S.IN_PROGRESS
    assert fresh.assigned_to == desk.staff
    event = last_event(fresh)
    assert (event.actor, event.channel, event.actor_is_staff) == (
        desk.staff,
        Channel.BACKOFFICE,
        True,
    )
    assert f"You are processing request {fresh.number}." in text
    assert len(mail.outbox) == 1
    assert str(fresh.number) in mail.outbox[0].subject
    assert mail.outbox[0].to == [desk.user.email]


def test_assign_to_a_colleague_then_to_nobody(desk, desk_client):
    taken = request_in(desk, "contact", S.IN_PROGRESS)
    colleague = staff.gestionnaire("colleague@example.org")
    colleague.first_name, colleague.last_name = "Lou", "PETIT"
    colleague.save()
    fresh, text = done(desk_client, taken, "assign", assignee=str(colleague.pk))
    assert fresh.assigned_to == colleague
    event = last_event(fresh)
    assert (event.kind, event.message) == (EventKind.ASSIGNED, "colleague@example.org")
    assert f"Request {fresh.number} is now assigned to Lou PETIT." in text
    fresh, text = done(desk_client, taken, "assign", assignee="")
    assert fresh.assigned_to is None
    assert "is now assigned to nobody" in text


def test_only_an_active_gestionnaire_can_be_assigned(desk, desk_client, pointage, cuisine):
    taken = request_in(desk, "contact", S.IN_PROGRESS)
    gone = staff.gestionnaire("gone@example.org")
    gone.is_active = False
    gone.save()
    before = unchanged(taken)
    for user in (pointage, cuisine, gone, desk.user):
        response = act(desk_client, taken, "assign", assignee=str(user.pk))
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert unchanged(taken) == before
    options = (
        desk_client.get(reverse("backoffice:request", kwargs={"pk": taken.pk}))
        .context["forms"]["assign"]
        .fields["assignee"]
        .queryset
    )
    assert list(options) == [desk.staff]


def test_a_message_to_the_family_is_kept_and_emailed(desk, desk_client):
    taken = request_in(desk, "contact", S.IN_PROGRESS)
    mail.outbox = []
    fresh, text = done(desk_client, taken, "message", message="Le menu est prévu.")
    event = last_event(fresh)
    assert (event.kind, event.message, event.channel) == (
        EventKind.STAFF_MESSAGE,
        "Le menu est prévu.",
        Channel.BACKOFFICE,
    )
    assert fresh.status == S.IN_PROGRESS
    assert "Your message was sent to the family" in text
    assert len(mail.outbox) == 1
    assert "Le menu est prévu." in mail.outbox[0].body


def test_ask_for_more_needs_a_message(desk, desk_client):
    taken = request_in(desk, "qf_declaration", S.IN_PROGRESS)
    before = unchanged(taken)
    mail.outbox = []
    response = act(desk_client, taken, "ask_more", message="   ")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say what the family must complete." in html
    assert unchanged(taken) == before
    assert mail.outbox == []

    fresh, text = done(desk_client, taken, "ask_more", message="Il manque l'avis d'imposition.")
    assert fresh.status == S.NEEDS_INFO
    assert last_event(fresh).message == "Il manque l'avis d'imposition."
    assert "sent back to the family to be completed" in text
    assert len(mail.outbox) == 1
    assert "Il manque l'avis d'imposition." in mail.outbox[0].body


def test_refusal_without_a_reason_is_refused(desk, desk_client):
    taken = request_in(desk, "contact", S.IN_PROGRESS)
    before = unchanged(taken)
    mail.outbox = []
    for reason in ("", "   "):
        response = act(desk_client, taken, "refuse", reason=reason)
        assert response.status_code == 400
        html = response.content.decode()
        assert "Give the reason for the refusal." in html
        assert 'aria-describedby="id_refuse-reason_error"' in html  # tied to its field
    assert unchanged(taken) == before
    assert mail.outbox == []


def test_refuse_with_a_reason(desk, desk_client):
    taken = request_in(desk, "contact", S.IN_PROGRESS)
    mail.outbox = []
    fresh, text = done(desk_client, taken, "refuse", reason="Hors délai.")
    assert (fresh.status, fresh.refusal_reason) == (S.REFUSED, "Hors délai.")
    assert "was refused" in text
    assert "Hors délai." in text
    assert len(mail.outbox) == 1
    assert "Hors délai." in mail.outbox[0].body


def test_accept_an_address_change_changes_the_household_address(desk, desk_client):
    move = request_in(desk, "address_change", S.IN_PROGRESS)
    mail.outbox = []
    fresh, text = done(desk_client, move, "accept", message="Bienvenue à Saissac.")
    household = fresh.household
    household.refresh_from_db()
    assert (household.address, household.postal_code, household.city) == (
        "12 rue des Lilas",
        "11310",
        "Saissac",
    )
    assert fresh.status == S.ACCEPTED
    event = last_event(fresh)
    assert event.channel == Channel.BACKOFFICE
    assert event.who == "Management service"  # what the family reads
    assert "was accepted and its change applied" in text
    assert "12 rue des Lilas" in text  # the household's file beside the request
    assert len(mail.outbox) == 1
    assert "Bienvenue à Saissac." in mail.outbox[0].body


def test_accept_a_qf_declaration_changes_the_quotient(desk, desk_client):
    declaration = request_in(desk, "qf_declaration", S.SUBMITTED)
    done(desk_client, declaration, "accept")
    household = Request.objects.get(pk=declaration.pk).household
    assert household.qf_on(datetime.date(2026, 12, 1)) == 650
    assert household.qf_on(datetime.date(2026, 11, 30)) is None


def test_accept_an_enrolment_creates_the_enrolment(desk, desk_client):
    enrolment = request_in(desk, "enrolment", S.IN_PROGRESS)
    done(desk_client, enrolment, "accept")
    made = Enrolment.objects.get(child=desk.child, activity=desk.activity)
    assert (made.valid_from, made.valid_to) == (
        datetime.date(2026, 11, 16),
        datetime.date(2027, 7, 2),
    )


def test_accept_a_family_file_records_it(desk, desk_client):
    family_file = request_in(desk, "family_file", S.IN_PROGRESS)
    done(desk_client, family_file, "accept")
    kept = FamilyFile.objects.get(household=desk.household, school_year_start=2026)
    assert kept.request_number == family_file.number


def test_an_effect_refused_is_said_and_changes_nothing(desk, desk_client):
    enrolment = request_in(desk, "enrolment", S.IN_PROGRESS)
    Enrolment.objects.create(
        child=desk.child,
        activity=desk.activity,
        valid_from=datetime.date(2026, 11, 2),
        valid_to=datetime.date(2026, 12, 18),
    )
    before = unchanged(enrolment)
    response = act(desk_client, enrolment, "accept")
    assert response.status_code == 400
    assert "This child is already enrolled in this activity then." in response.content.decode()
    assert unchanged(enrolment) == before
    assert Enrolment.objects.filter(child=desk.child).count() == 1


def test_early_childhood_waiting_list_then_accepted(desk, desk_client):
    crèche = request_in(desk, "early_childhood", S.SUBMITTED)
    page = desk_client.get(reverse("backoffice:request", kwargs={"pk": crèche.pk}))
    assert "waiting_list" in page.context["forms"]
    mail.outbox = []
    fresh, text = done(desk_client, crèche, "waiting_list", message="Commission de mars.")
    assert fresh.status == S.WAITING_LIST
    assert "is on the waiting list" in text
    assert len(mail.outbox) == 1
    fresh, _text = done(desk_client, crèche, "accept")
    assert fresh.status == S.ACCEPTED


def test_only_early_childhood_has_a_waiting_list(desk, desk_client):
    contact = request_in(desk, "contact", S.IN_PROGRESS)
    page = desk_client.get(reverse("backoffice:request", kwargs={"pk": contact.pk}))
    assert "waiting_list" not in page.context["forms"]
    before = unchanged(contact)
    response = act(desk_client, contact, "waiting_list")
    assert response.status_code == 400
    assert "Only early childhood requests have a waiting list." in response.content.decode()
    assert unchanged(contact) == before


@pytest.mark.parametrize(
    "status, action, fields",
    [
        (S.ACCEPTED, "accept", {}),
        (S.ACCEPTED, "refuse", {"reason": "Non"}),
        (S.REFUSED, "take", {}),
        (S.IN_PROGRESS, "take", {}),
        (S.NEEDS_INFO, "accept", {}),
        (S.ACCEPTED, "message", {"message": "Bonjour"}),
        (S.REFUSED, "assign", {"assignee": ""}),
    ],
)
def test_an_action_the_status_does_not_allow_says_why(desk, desk_client, status, action, fields):
    request = request_in(desk, "contact", status)
    before = unchanged(request)
    mail.outbox = []
    response = act(desk_client, request, action, **fields)
    assert response.status_code == 400
    label = Request.objects.get(pk=request.pk).get_status_display()
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f"This request is “{label}”: this cannot be done now." in text_of(html)
    assert unchanged(request) == before
    assert mail.outbox == []


def test_an_unknown_action_is_said(desk, desk_client):
    request = request_in(desk, "contact", S.SUBMITTED)
    before = unchanged(request)
    response = act(desk_client, request, "delete")
    assert response.status_code == 400
    assert "Unknown action." in response.content.decode()
    assert unchanged(request) == before


def test_a_message_too_long_is_refused(desk, desk_client):
    taken = request_in(desk, "contact", S.IN_PROGRESS)
    before = unchanged(taken)
    response = act(desk_client, taken, "message", message="x" * 5001)
    assert response.status_code == 400
    assert "5000" in response.content.decode()
    assert unchanged(taken) == before
