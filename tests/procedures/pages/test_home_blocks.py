"""The home page's démarches blocks (the seed's): "Démarche(s) disponible(s) (N)" with DEBUT,
"Mes démarches en cours (N)" with CONTINUER, "Statut de mes démarches (N)", "Inscriptions
Petite Enfance (N)"; a fixed number of queries whatever the number of requests."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portail.procedures.models import Procedure, Request
from tests.world.procedures import request_in
from tests.world.web import fr

from .helpers import page, url

pytestmark = pytest.mark.django_db


def block(response, block_id: str) -> str:
    """The HTML of one of the home page's blocks."""
    html = response.content.decode()
    start = html.index(f'id="{block_id}"')
    return html[start : html.index("</section>", start)]


def test_open_procedures_are_listed_with_a_start_button(d, parent):
    Procedure.objects.filter(code="enrolment").update(is_open=False)
    response = parent.get("/")
    html = response.content.decode()
    text = page(response)
    assert "Available procedure(s) (5)" in text
    for procedure in Procedure.objects.filter(is_open=True):
        assert f'href="{url("start", procedure.code)}"' in html
        assert procedure.title in text
    assert url("start", "enrolment") not in html
    assert "START" in text
    assert "coming soon online" not in text


def test_drafts_and_requests_to_complete_are_in_progress_with_continue(d, parent):
    draft = request_in(d, "contact", "draft")
    asked = request_in(d, "address_change", "needs_info")
    request_in(d, "qf_declaration", "submitted")
    response = parent.get("/")
    html = response.content.decode()
    text = page(response)
    assert "My procedures in progress (2)" in text
    assert f"{draft.number} - CONTACTER UN SERVICE" in text
    assert f"{asked.number} - DECLARER UN CHANGEMENT D'ADRESSE" in text
    assert f'href="{url("edit", draft.number)}"' in html
    assert f'href="{url("edit", asked.number)}"' in html
    assert "CONTINUE" in text


def test_the_status_block_lists_requests_being_dealt_with_and_recently_decided(
    d, parent, time_machine
):
    old = request_in(d, "contact", "accepted")
    time_machine.move_to(datetime.datetime(2027, 6, 1, 9, tzinfo=datetime.UTC))
    sent = request_in(d, "qf_declaration", "submitted")
    refused = request_in(d, "address_change", "refused")
    parent.force_login(d.user)  # the session of seven months ago has expired
    text = page(parent.get("/"))
    assert "Status of my procedures (2)" in text
    assert f"{sent.number} - QUOTIENT FAMILIAL - DECLARATION REVENUS" in text
    assert "Status: Submitted" in text
    assert f"{refused.number} - DECLARER UN CHANGEMENT D'ADRESSE" in text
    assert "Status: Refused" in text
    status_block = block(parent.get("/"), "block-procedures-status")
    assert url("detail", sent.number) in status_block
    assert url("detail", old.number) not in status_block  # decided seven months ago
    assert url("detail", old.number) in parent.get(url("list")).content.decode()


def test_early_childhood_requests_have_their_block_in_the_commissions_words(d, parent):
    waiting = request_in(d, "early_childhood", "waiting_list")
    sent = request_in(d, "early_childhood", "submitted")
    response = parent.get("/")
    text = page(response)
    assert "Early childhood enrolments (2)" in text
    assert f"{waiting.number} - INSCRIPTIONS PETITE ENFANCE" in text
    assert "Status: Waiting list" in text
    assert "Status: Awaiting the commission" in text
    assert f"{sent.number} - INSCRIPTIONS PETITE ENFANCE" in text
    assert f'href="{url("start", "early_childhood")}"' in response.content.decode()


def test_the_blocks_in_french(d, parent_fr):
    request_in(d, "contact", "draft")
    request_in(d, "early_childhood", "waiting_list")
    text = page(parent_fr.get("/"))
    assert "Démarche(s) disponible(s) (6)" in text
    assert "Mes démarches en cours (1)" in text
    assert "Inscriptions Petite Enfance (1)" in text
    assert fr("Status of my procedures") + " (1)" not in text  # early childhood has its block
    assert "Liste d'attente" in text or fr("Waiting list") in text


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_page_runs_the_same_queries_whatever_the_number_of_requests(d, parent):
    request_in(d, "contact", "draft")
    one = _home_queries(parent)
    for code, status in [
        ("address_change", "needs_info"),
        ("qf_declaration", "accepted"),
        ("early_childhood", "waiting_list"),
        ("contact", "submitted"),
        ("family_file", "refused"),
    ]:
        request_in(d, code, status)
    assert Request.objects.count() == 6
    assert _home_queries(parent) == one


def test_the_blocks_add_two_queries_to_the_home_page(d, parent, monkeypatch):
    from portail.home import views

    request_in(d, "contact", "draft")
    with_blocks = _home_queries(parent)
    monkeypatch.setattr(
        views,
        "procedure_blocks",
        lambda household, today: {
            "open_procedures": [],
            "ongoing_requests": [],
            "followed_requests": [],
            "early_childhood_requests": [],
            "early_childhood_procedure": None,
        },
    )
    assert with_blocks - _home_queries(parent) == 2
