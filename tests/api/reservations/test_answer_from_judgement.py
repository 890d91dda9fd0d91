"""A submission answers with the basket as it now is, built from what the judgement read
and what was written (not read back): the same body GET /api/v1/basket reads from the
database, whatever the basket held before (a waiting-list offer, a cancellation, a
request withdrawn)."""

import pytest

from portail.backoffice.sessions import change_capacity
from portail.billing import credits
from portail.billing.models import CreditKind
from portail.reservations.waiting_models import WaitingListEntry, WaitingStatus
from tests.api.reservations.calls import item, logged, post_json
from tests.factories import paid_booking, pending_basket_payment
from tests.world.commune import family, seed_family
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def _posted_then_read(api, body: dict) -> tuple[dict, dict]:
    posted = post_json(api, "/api/v1/basket", body)
    assert posted.status_code == 201, posted.content
    read = api.get("/api/v1/basket")
    assert read.status_code == 200
    return posted.json(), read.json()


def test_the_answer_is_the_basket_read_back_after_each_kind_of_change(client):
    fam = seed_family(default_capacity=1, weeks=2)
    _household, _user, (other,) = family(fam.activity, names=["Autre"])
    monday, tuesday, thursday, friday = (fam.sessions[day] for day in fam.days[:4])
    paid_booking(other, monday)  # Monday is full: Emy waits for a place
    paid_booking(fam.children[1], friday)  # Lise's Friday is paid
    api = logged(client, fam)
    joined = post_json(api, "/api/v1/waiting-list", item(fam.emy, monday))
    assert joined.status_code == 201
    change_capacity(monday, 2, actor=gestionnaire())  # a place: offered to Emy
    assert WaitingListEntry.objects.get(pk=joined.json()["id"]).status == WaitingStatus.OFFERED

    # Into the basket holding the offer: two requests and a paid day's cancellation.
    posted, read = _posted_then_read(
        api,
        {
            "add": [item(fam.emy, tuesday), item(fam.emy, thursday)],
            "cancel": [item(fam.children[1], friday)],
        },
    )
    assert posted == read
    kinds = sorted((line["kind"], line["offer"]) for line in posted["lines"])
    assert kinds == [
        ("cancellation", False),
        ("reservation", False),
        ("reservation", False),
        ("reservation", True),
    ]
    # The offer still bounds the hold: the basket ends no later than the offer.
    offer_line = next(line for line in posted["lines"] if line["offer"])
    assert posted["expires_at"] <= offer_line["expires_at"]

    # A request withdrawn and a cancellation withdrawn: both lines leave the answer.
    posted, read = _posted_then_read(
        api, {"add": [item(fam.children[1], friday)], "cancel": [item(fam.emy, tuesday)]}
    )
    assert posted == read
    assert sorted(line["session_id"] for line in posted["lines"]) == [monday.pk, thursday.pk]


def test_a_new_basket_answers_its_lines_in_the_pages_order(client):
    fam = seed_family(names=("Lise", "Émile", "Emy"))
    api = logged(client, fam)
    changes = [item(kid, fam.sessions[day]) for day in reversed(fam.days) for kid in fam.children]
    posted, read = _posted_then_read(api, {"add": changes})
    assert posted == read
    first_day = [line["child"].split()[-1] for line in posted["lines"][:3]]
    assert first_day == ["Émile", "Emy", "Lise"]


def test_the_answers_credit_is_the_one_read_back(client):
    """The credit available comes with the open basket, read under the household's lock
    (a submission writes no credit): the answer's totals equal the basket read back, with
    part of the credit held by another basket's pending payment."""
    fam = seed_family(weeks=2)
    credits.add_credit(fam.household, 900, kind=CreditKind.CLOSURE, reason="Grève")
    pending_basket_payment(fam.household, hold=200)
    api = logged(client, fam)
    posted, read = _posted_then_read(
        api, {"add": [item(fam.emy, fam.sessions[day]) for day in fam.days[:3]]}
    )
    assert posted == read
    assert posted["credit_available_cents"] == 700
    assert posted["credit_applied_cents"] == 700
