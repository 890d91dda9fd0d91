"""The planning page: the week, every block's state in words, navigation, access."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone, translation

from portail.activities.models import DeadlineKind, LatePolicy
from portail.reservations.basket import submit_changes
from portail.reservations.judging import Change
from portail.reservations.models import Attendance, BasketStatus, Channel
from portail.reservations.states import LATE_LABEL, CellState
from tests import factories
from tests.configuration import keep_configuration
from tests.factories import paid_booking
from tests.world import commune
from tests.world.commune import CANTEEN, seed_family
from tests.world.days import target_monday, week_code
from tests.world.web import text_of

pytestmark = pytest.mark.django_db

FAR = 24 * 60  # a booking deadline 60 days before: every day of the test week is late


def page(client, fam, language: str | None = None, **params):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(fam.user)
    params.setdefault("week", fam.week)
    response = client.get("/planning/", params)
    assert response.status_code == 200
    return response.content.decode()


def every_state_week():
    """One week of the seed's family where every state of the legend appears."""
    fam = seed_family()
    emy, lise = fam.children
    mon, tue, thu, fri = fam.days
    canteen = fam.sessions
    # Lise is enrolled in nothing but the canteen: the other activities are "not enrolled".
    alae, alae_sessions = commune.canteen(
        fam.days,
        name="ALAE matin",
        start_time=datetime.time(7, 30),
        end_time=datetime.time(8, 30),
        default_capacity=1,
    )
    factories.enrolment(emy, alae)
    garderie, garderie_sessions = commune.canteen(
        fam.days,
        name="Garderie",
        requires_booking=False,
        start_time=datetime.time(16, 30),
        end_time=datetime.time(18, 30),
    )
    factories.enrolment(emy, garderie)
    late, late_sessions = commune.canteen(
        fam.days,
        name="Accueil du soir",
        start_time=datetime.time(16, 30),
        end_time=datetime.time(18, 0),
        booking_deadline_kind=DeadlineKind.HOURS_BEFORE,
        booking_deadline_value=FAR,
        late_policy=LatePolicy.SURCHARGE,
    )
    factories.enrolment(emy, late)
    refused, refused_sessions = commune.canteen(
        fam.days,
        name="Étude",
        start_time=datetime.time(17, 0),
        end_time=datetime.time(18, 0),
        booking_deadline_kind=DeadlineKind.HOURS_BEFORE,
        booking_deadline_value=FAR,
        late_policy=LatePolicy.REFUSE,
    )
    factories.enrolment(emy, refused)

    # Canteen: Monday not reserved, Tuesday reserved, Thursday requested, Friday cancel asked.
    paid_booking(emy, canteen[tue])
    paid_booking(emy, canteen[fri])
    submit_changes(
        fam.household,
        add=[Change(emy.pk, canteen[thu].pk)],
        cancel=[Change(emy.pk, canteen[fri].pk)],
        actor=fam.user,
        channel=Channel.WEB,
    )
    # ALAE: Monday full (another family took the only place), Tuesday not used (absent),
    # Thursday attendance recorded, Friday closed.
    other = seed_family(names=("Paul",), household_name="AUTRE", act=(alae, alae_sessions))
    paid_booking(other.emy, alae_sessions[mon])
    paid_booking(emy, alae_sessions[tue])
    Attendance.objects.create(child=emy, session=alae_sessions[tue], present=False)
    Attendance.objects.create(child=emy, session=alae_sessions[thu], present=True)
    closed = alae_sessions[fri]
    closed.is_open = False
    closed.closed_reason = "Grève du personnel"
    closed.save()
    return fam


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_state_of_the_legend_is_written_in_the_blocks(client, language):
    fam = every_state_week()
    html = page(client, fam, language=language)
    text = text_of(html)
    with translation.override(language):
        for state in CellState:
            if state == CellState.CANCELLED:
                continue  # a past day only: tests/reservations/past_days/test_planning_page.py
            if state == CellState.WAITING_LIST:
                continue  # a family on a day's list: tests/waiting_list/test_planning_form.py
            assert f"state--{state.value}" in html, state
            assert str(state.label) in text, state
        assert str(LATE_LABEL) in text
        assert "state--late" in html
    assert "5,55" in text or "5.55" in text  # the late price, shown before submitting
    assert "Grève du personnel" in text  # a closed day says why
    assert f'lang="{language}"' in html


def test_seed_french_words_once_the_catalogue_is_merged(client):
    fam = every_state_week()
    text = text_of(page(client, fam))
    with translation.override("fr"):
        if str(CellState.FULL.label) == "Full":
            pytest.skip("French catalogue not compiled yet (var/i18n/*.json not merged)")
    for words in [
        "Non réservé",
        "Complet",
        "Demande de réservation",
        "Réservé",  # the seed's "Réservé(e)" before var/fr-pastdays-fixes.json
        "Non utilisé",
        "Aucune réservation n'est requise",
        "Prix majoré (réservation hors délais)",
        "SOUMETTRE",
        "REINITIALISER",
        "AIDE",
    ]:
        assert words in text, words


def test_blocks_are_one_column_per_child_and_day_with_an_accessible_name(client):
    fam = seed_family()
    html = page(client, fam)
    monday = fam.days[0]
    with translation.override("fr"):
        day = dateformat.format(monday, "l j F")
        state = str(CellState.NOT_RESERVED.label)
    assert day.startswith("lundi ")
    for name in ("Emy", "Lise"):
        assert f"{name}, {day}, {CANTEEN}: {state}, 3,70\xa0€" in html
    # 4 days x 2 children, each a checkbox labelled by its block.
    boxes = re.findall(
        r'<input type="checkbox" class="block__input" name="change" value="([^"]+)" id="([^"]+)"',
        html,
    )
    assert len(boxes) == 8
    for value, input_id in boxes:
        assert f'<label for="{input_id}"' in html
        assert value.startswith("reserve:")
    assert 'data-delta-cents="370"' in html
    assert "12:00 – 13:30" in html
    # Wednesday has no canteen: no column for it.
    assert dateformat.format(monday + datetime.timedelta(days=2), "l j F") not in html


def test_blocks_sit_on_the_time_axis(client):
    fam = seed_family()
    html = page(client, fam)
    # 07:00 is the first row after the two header rows; 12:00 is 5 hours (20 quarters) later.
    assert "<span>07:00</span>" in html
    assert re.search(r'id="cell-\d+-\d+" style="grid-row: 23 / 29;', html)


def test_week_navigation_links_and_date_picker(client):
    fam = seed_family()
    monday = fam.monday
    html = page(client, fam)
    previous = week_code(monday - datetime.timedelta(days=7))
    following = week_code(monday + datetime.timedelta(days=7))
    assert f'href="/planning/?week={previous}"' in html
    assert f'href="/planning/?week={following}"' in html
    assert f'href="/planning/?week={week_code(timezone.localdate())}"' in html
    assert '<input type="date" id="week-date" name="date"' in html
    # The date picker goes to the week holding that day.
    thursday = monday + datetime.timedelta(days=3)
    by_date = page(client, fam, week="", date=thursday.isoformat())
    assert f'name="week" value="{fam.week}"' in by_date


def test_week_label_like_the_seed(client):
    fam = seed_family()
    html = page(client, fam, week="2026-W50")
    assert "7 – 13 décembre 2026" in html
    html = page(client, fam, week="2026-W49")
    assert "30 novembre – 6 décembre 2026" in html
    html = page(client, fam, week="2026-W53")
    assert "28 décembre 2026 – 3 janvier 2027" in html


@pytest.mark.parametrize(
    "params",
    [
        {"week": "2026-W60"},
        {"week": "2026-W00"},
        {"week": "2025-W53"},  # 2025 has 52 weeks
        {"week": "n'importe quoi"},
        {"week": "9999-W52"},
        {"week": "", "date": "2026-02-30"},
        {"week": "", "date": "hier"},
    ],
)
def test_bad_week_gives_a_message_and_the_current_week(client, params):
    fam = seed_family()
    html = page(client, fam, **params)
    assert 'role="alert"' in html
    assert 'aria-current="date"' in html  # the current week is shown


def test_without_a_week_the_current_week_is_shown(client):
    fam = seed_family()
    client.force_login(fam.user)
    html = client.get("/planning/").content.decode()
    assert 'aria-current="date"' in html
    assert 'role="alert"' not in html


def test_a_week_without_activity_says_so(client):
    fam = seed_family()
    html = page(client, fam, week=week_code(fam.monday + datetime.timedelta(weeks=10)))
    assert 'name="change"' not in html
    with translation.override("fr"):
        message = translation.gettext("None of your children has an activity this week.")
    assert message in text_of(html)


def test_buttons_submit_reset_help_and_the_legend(client):
    fam = seed_family()
    html = page(client, fam, language="en")
    assert '<button type="submit" class="button">SUBMIT</button>' in html
    assert '<button type="reset" class="button button--secondary">RESET</button>' in html
    assert 'href="/aide/#help-legend">HELP</a>' in html
    assert '<details class="planning-legend card">' in html
    assert "reservations/planning.js" in html
    assert 'id="pending" aria-labelledby="pending-title" hidden' in html
    assert 'aria-live="polite"' in html


def test_late_block_shows_the_surcharge_and_the_late_price(client):
    fam = seed_family(
        booking_deadline_kind=DeadlineKind.HOURS_BEFORE,
        booking_deadline_value=FAR,
        late_policy=LatePolicy.SURCHARGE,
    )
    html = page(client, fam, language="en")
    assert "state--late" in html
    assert "Surcharged price (late reservation), €5.55" in html
    assert 'data-delta-cents="555"' in html


def test_locked_block_says_why_and_has_no_checkbox(client):
    fam = seed_family(
        booking_deadline_kind=DeadlineKind.HOURS_BEFORE,
        booking_deadline_value=FAR,
        late_policy=LatePolicy.REFUSE,
    )
    html = page(client, fam, language="en")
    assert "state--locked" in html
    assert "Reservations closed on" in html
    assert 'name="change"' not in html
    assert "No block of this week can change now." in html


def test_reserved_block_offers_cancellation(client):
    fam = seed_family()
    paid_booking(fam.emy, fam.sessions[fam.days[0]])
    html = page(client, fam, language="en")
    assert f'value="cancel:{fam.emy.pk}:{fam.sessions[fam.days[0]].pk}"' in html
    assert 'data-delta-cents="-370"' in html
    assert 'aria-describedby="hint-cancel"' in html


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    for url in ["/planning/", "/panier/", "/panier/annuler/", "/panier/detail.pdf"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/compte/connexion/")
    response = client.post("/planning/", {"change": "reserve:1:1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_a_login_without_household_cannot_use_the_planning(client):
    seed_family()
    client.force_login(factories.staff())
    assert client.get("/planning/").status_code == 403
    assert client.get("/panier/").status_code == 403
    assert client.post("/planning/", {"change": "reserve:1:1"}).status_code == 403


def test_other_households_children_are_not_shown(client):
    fam = seed_family()
    other = seed_family(names=("Zoé",), household_name="VOISINS", act=(fam.activity, fam.sessions))
    html = page(client, fam)
    assert "Zoé" not in html
    assert "VOISINS" not in html
    assert f":{other.emy.pk}:" not in html


# The page's own statements (besides the login's: its session, user, guardian and
# household): the household's open basket with its QF periods and its credit available,
# the children with their enrolments, the week's sessions (with their activity, site and
# organisation: the header's; the configuration stamp; the children's attendance), the
# bookings with the places taken and the waiting lists (facts.bookings_and_places). With
# an open basket, its lines (the credit left once they are quoted). The price book and the
# booking windows come from the process's memory (activities.config_cache). Five
# statements in all, sign-in included; six with an open basket.
PAGE_STATEMENTS = 4
OPEN_BASKET_STATEMENTS = 1
LOGIN = re.compile(r'FROM "(django_session|accounts_session|accounts_user|families_guardian)"')


def _statements(client, fam) -> list[str]:
    client.force_login(fam.user)
    keep_configuration()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/planning/", {"week": fam.week})
    assert response.status_code == 200
    return [query["sql"] for query in ctx.captured_queries]


def _queries(client, fam) -> int:
    return len(_statements(client, fam))


def _page_statements(client, fam) -> list[str]:
    return [sql for sql in _statements(client, fam) if not LOGIN.search(sql)]


def test_query_count_does_not_grow_with_children_activities_or_bookings(client):
    small = seed_family(names=("Emy",), household_name="PETITE")
    big = seed_family(names=("Emy", "Lise", "Max"), household_name="GRANDE")
    for name in ("ALAE matin", "ALAE soir"):
        extra, sessions = commune.canteen(
            big.days, name=name, start_time=datetime.time(7, 30), end_time=datetime.time(8, 30)
        )
        for kid in big.children:
            factories.enrolment(kid, extra)
    past = [
        factories.session(big.activity, big.monday - datetime.timedelta(weeks=weeks))
        for weeks in range(1, 6)
    ]
    for kid in big.children:
        paid_booking(kid, big.sessions[big.days[0]])
        for session in past:  # bookings outside the week shown
            paid_booking(kid, session)
    submit_changes(
        big.household,
        add=[Change(big.children[1].pk, big.sessions[big.days[1]].pk)],
        cancel=[],
        actor=big.user,
        channel=Channel.WEB,
    )
    submit_changes(
        small.household,
        add=[Change(small.emy.pk, small.sessions[small.days[1]].pk)],
        cancel=[],
        actor=small.user,
        channel=Channel.WEB,
    )
    assert _queries(client, small) == _queries(client, big)
    statements = _page_statements(client, big)
    assert len(statements) == PAGE_STATEMENTS + OPEN_BASKET_STATEMENTS, statements


def test_the_page_without_an_open_basket_takes_its_fixed_statements(client):
    fam = seed_family()
    statements = _page_statements(client, fam)
    assert len(statements) == PAGE_STATEMENTS, statements


def test_query_count_does_not_grow_with_the_open_baskets_lines(client):
    """The credit's count quotes the open basket: its lines are read in one query, however
    many (requests and cancellations, on the week shown and the next)."""
    one = seed_family(household_name="UNE", weeks=2)
    many = seed_family(household_name="PLEIN", weeks=2)
    days = sorted(many.sessions)
    submit_changes(
        one.household,
        add=[Change(one.emy.pk, one.sessions[one.days[1]].pk)],
        cancel=[],
        actor=one.user,
        channel=Channel.WEB,
    )
    paid = [(kid, many.sessions[days[0]]) for kid in many.children]
    for kid, session in paid:
        paid_booking(kid, session)
    submit_changes(
        many.household,
        add=[Change(kid.pk, many.sessions[day].pk) for day in days[1:] for kid in many.children],
        cancel=[Change(kid.pk, session.pk) for kid, session in paid],
        actor=many.user,
        channel=Channel.WEB,
    )
    basket = many.household.baskets.get(status=BasketStatus.OPEN)
    assert basket.lines.count() == 2 * len(days)
    assert _queries(client, one) == _queries(client, many)
    statements = _page_statements(client, many)
    assert len(statements) == PAGE_STATEMENTS + OPEN_BASKET_STATEMENTS, statements


def test_the_header_names_the_organisation_read_with_the_weeks_sessions(client):
    fam = seed_family()
    organisation = fam.activity.site.organisation
    client.force_login(fam.user)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/planning/", {"week": fam.week}).content.decode()
    assert f'<span class="site-org">{organisation.name}</span>' in html
    assert not [q["sql"] for q in ctx.captured_queries if 'FROM "core_organisation"' in q["sql"]]
    # A week without activity has no session to bring it: the header reads it.
    empty = client.get("/planning/", {"week": week_code(fam.monday + datetime.timedelta(weeks=8))})
    assert f'<span class="site-org">{organisation.name}</span>' in empty.content.decode()


def test_target_week_is_in_the_future():
    assert target_monday() > timezone.localdate()


def test_a_basket_past_its_hold_is_expired_by_the_page_and_not_offered(client):
    """The page reads the open basket with the QF periods and the credit; one found past its
    hold is expired on the spot (as `portail expire_baskets` would): the page does not send
    the family to it, and its days are free to book again."""
    fam = seed_family()
    day = fam.sessions[fam.days[1]]
    submit_changes(
        fam.household,
        add=[Change(fam.emy.pk, day.pk)],
        cancel=[],
        actor=fam.user,
        channel=Channel.WEB,
    )
    with translation.override("fr"):
        waiting = translation.gettext("You have changes waiting in your basket.")
        assert waiting in page(client, fam)
    basket = fam.household.baskets.get()
    basket.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    basket.save(update_fields=["expires_at"])
    html = page(client, fam)
    basket.refresh_from_db()
    assert basket.status == BasketStatus.EXPIRED
    assert waiting not in html
    assert f'value="reserve:{fam.emy.pk}:{day.pk}"' in html
