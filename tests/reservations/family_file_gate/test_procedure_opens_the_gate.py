"""The family sends "Mise à jour du dossier unique d'inscription" for 2027-2028 through
the procedures' services; the day staff accept it, the family can book that year (and
not before: submitted or refused is not accepted)."""

import pytest

from portail.procedures import services
from portail.reservations.basket import submit_changes
from portail.reservations.judging import ChangesRefused
from portail.reservations.models import Channel
from portail.reservations.rules import FAMILY_FILE_REQUIRED
from tests.world.procedures import BACKOFFICE, WEB, Desk, the_six_procedures, valid_data
from tests.world.staff import gestionnaire

from .city import NOW, SEPTEMBER, changes, gated_city

pytestmark = pytest.mark.django_db


def family_file_request(world, staff, year: int = 2027):
    the_six_procedures()
    desk = Desk(world.household, world.user, world.children, world.activity, staff)
    data = {**valid_data(desk, "family_file"), "school_year": year}
    request = services.create_request(
        world.household, "family_file", data, submit=True, actor=world.user, channel=WEB
    )
    services.take(request.pk, actor=staff, channel=BACKOFFICE)
    return request


def book_september(world):
    return submit_changes(
        world.household,
        add=changes(world, SEPTEMBER),
        cancel=[],
        actor=world.user,
        channel=Channel.WEB,
        now=NOW,
    )


def refusal_codes(world) -> list[str]:
    with pytest.raises(ChangesRefused) as info:
        book_september(world)
    return [r.code for r in info.value.refusals]


def test_an_accepted_family_file_opens_its_school_year():
    world = gated_city()
    staff = gestionnaire()
    request = family_file_request(world, staff)
    assert refusal_codes(world) == [FAMILY_FILE_REQUIRED]  # submitted, in progress: not yet
    services.accept(request.pk, actor=staff, channel=BACKOFFICE)
    assert book_september(world).lines.count() == 1


def test_a_refused_family_file_or_another_year_s_keeps_it_closed():
    world = gated_city()
    staff = gestionnaire()
    refused = family_file_request(world, staff)
    services.refuse(refused.pk, "Il manque le médecin.", actor=staff, channel=BACKOFFICE)
    last_year = family_file_request(world, staff, year=2026)
    services.accept(last_year.pk, actor=staff, channel=BACKOFFICE)
    assert refusal_codes(world) == [FAMILY_FILE_REQUIRED]
