"""The planning's summary bar, as the server renders it (no JavaScript): the ticked changes,
their total, the credit the basket will use (min(credit, total)) and what is left to pay;
the credit counted once per page through the hook billing registers."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.billing import credits
from portail.billing.models import CreditKind
from portail.reservations import credit_hook
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Channel
from tests.world.commune import seed_family
from tests.world.web import text_of

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    bar = re.search(r'<div class="planning-bar__summary".*?</dl>', html, re.S)
    assert bar, "no summary bar"
    return text_of(bar.group(0)).strip()


def credit_of(html: str) -> int:
    return int(re.search(r'data-credit-cents="(\d+)"', html).group(1))


def english(client, fam) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(fam.user)


def ticked_after_a_refusal(client, fam) -> str:
    """Two canteen days ticked, plus a change the page refuses ("undo" on a block with
    nothing to undo): the page comes back with the two boxes still ticked."""
    emy, lise = fam.children
    monday = fam.sessions[fam.days[0]]
    tuesday = fam.sessions[fam.days[1]]
    response = client.post(
        f"/planning/?week={fam.week}",
        {
            "week": fam.week,
            "change": [
                f"reserve:{emy.pk}:{monday.pk}",
                f"reserve:{lise.pk}:{monday.pk}",
                f"undo_request:{emy.pk}:{tuesday.pk}",
            ],
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def test_the_credit_pays_part_of_the_ticked_changes(client):
    fam = seed_family()
    credits.add_credit(fam.household, 500, kind=CreditKind.CLOSURE, reason="Grève")
    english(client, fam)
    html = ticked_after_a_refusal(client, fam)
    assert summary_of(html) == (
        "2 changes Total of the changes €7.40 Credit used €5.00 Left to pay €2.40"
    )
    assert credit_of(html) == 500


def test_a_credit_larger_than_the_changes_leaves_nothing_to_pay(client):
    fam = seed_family()
    credits.add_credit(fam.household, 2000, kind=CreditKind.CLOSURE, reason="Grève")
    english(client, fam)
    html = ticked_after_a_refusal(client, fam)
    assert summary_of(html) == (
        "2 changes Total of the changes €7.40 Credit used €7.40 Left to pay €0.00"
    )


def test_without_ticks_the_summary_says_no_change_and_keeps_the_credit_for_the_script(client):
    fam = seed_family()
    credits.add_credit(fam.household, 370, kind=CreditKind.CLOSURE, reason="Grève")
    english(client, fam)
    html = client.get("/planning/", {"week": fam.week}).content.decode()
    assert summary_of(html) == (
        "No change Total of the changes €0.00 Credit used €0.00 Left to pay €0.00"
    )
    assert credit_of(html) == 370
    assert 'aria-live="polite"' in re.search(
        r'<div class="planning-bar__summary"[^>]*>', html
    ).group(0)


def test_an_open_basket_leaves_the_credit_it_does_not_use(client):
    """The changes go into the open basket: its own reservations use the credit first."""
    fam = seed_family()
    emy, lise = fam.children
    credits.add_credit(fam.household, 500, kind=CreditKind.CLOSURE, reason="Grève")
    friday = fam.sessions[fam.days[-1]]
    submit_changes(
        fam.household,
        add=[Change(emy.pk, friday.pk)],
        cancel=[],
        actor=fam.user,
        channel=Channel.WEB,
    )
    english(client, fam)
    html = ticked_after_a_refusal(client, fam)
    assert credit_of(html) == 500 - 370
    assert summary_of(html) == (
        "2 changes Total of the changes €7.40 Credit used €1.30 Left to pay €6.10"
    )


def test_in_french(client):
    fam = seed_family()
    credits.add_credit(fam.household, 370, kind=CreditKind.CLOSURE, reason="Grève")
    client.force_login(fam.user)
    html = ticked_after_a_refusal(client, fam)
    summary = summary_of(html).replace("\u00a0", " ")
    assert "Avoir utilisé 3,70 € Reste à payer 3,70 €" in summary, summary


def test_the_credit_is_counted_once_per_page(client):
    fam = seed_family()
    credits.add_credit(fam.household, 370, kind=CreditKind.CLOSURE, reason="Grève")
    client.force_login(fam.user)
    calls = []
    source, column = credit_hook.count_credit_with(
        lambda household, basket, available: calls.append(available) or 370,
        credits.available_column,
    )
    try:
        client.get("/planning/", {"week": fam.week})
    finally:
        credit_hook.count_credit_with(source, column)
    assert calls == [370]  # counted once, from the credit read with the open basket
    with CaptureQueriesContext(connection) as queries:
        client.get("/planning/", {"week": fam.week})
    ledger = [q for q in queries.captured_queries if "billing_creditentry" in q["sql"]]
    assert len(ledger) == 1, [q["sql"] for q in ledger]
    # The open basket is read once, by the page, and handed to the credit's count.
    baskets = [
        q
        for q in queries.captured_queries
        if 'FROM "reservations_basket"' in q["sql"] or "open_basket" in q["sql"]
    ]
    assert len(baskets) == 1, [q["sql"] for q in baskets]
