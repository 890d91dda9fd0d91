"""Once the draw is made, each household that asked is e-mailed (in its guardian's
language, a copy kept in "Mes documents") its rank and each day's outcome, and until when
the days given are held in its basket."""

import pytest
from django.core import mail

from portail.families.models import Document
from portail.reservations.draws import run_draw
from portail.reservations.models import Basket, BasketStatus
from tests.world.days import MONDAY

from .town import AFTER_DRAW, DURING_DRAW, another_family, ask, build, window

pytestmark = pytest.mark.django_db


def test_each_household_gets_its_rank_and_outcome(empty_outbox):
    world = build(capacity=1)
    w = window(world, draw_minutes=10)
    other = another_family(world)
    for fam in (world, other):
        fam.user.language = "en"
        fam.user.save()
        ask(fam, [MONDAY], DURING_DRAW)
    assert mail.outbox == []
    run_draw(w.pk, now=AFTER_DRAW)
    assert len(mail.outbox) == 2
    winner = Basket.objects.get(status=BasketStatus.OPEN).household
    by_address = {m.to[0]: m for m in mail.outbox}
    for fam in (world, other):
        message = by_address[fam.user.email]
        assert message.subject == "Draw for “Vacances de Noël”: your result"
        if fam.household == winner:
            assert "your request came 1 out of 2" in message.body
            assert "Place given" in message.body
            assert "held in your basket until 01/12/2026 18:41" in message.body
        else:
            assert "your request came 2 out of 2" in message.body
            assert "On the waiting list" in message.body
            assert "held in your basket" not in message.body
        assert "/planning/tirage/" in message.body
    assert Document.objects.filter(household=world.household).count() == 1
    run_draw(w.pk, now=AFTER_DRAW)
    assert len(mail.outbox) == 2  # drawn once, e-mailed once
