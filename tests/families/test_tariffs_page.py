"""The prices page ("Tarifs"): every tariff in force or to come, by QF band, readable by
anyone before booking; a family reads its own band, chosen as its days are priced."""

import datetime

import pytest

from tests import factories
from tests.world.web import text_of

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def grid():
    site = factories.site(name="École de Malves")
    canteen = factories.activity(site, name="Restauration Scolaire Malves")
    factories.tariff(
        [canteen],
        [(0, 600, 120, 180), (601, 1200, 250, 375), (1201, None, 370, 555)],
        valid_from=D(2026, 9, 1),
        valid_to=D(2027, 8, 31),
    )
    old = factories.tariff([canteen], [(0, None, 999, 999)], D(2025, 9, 1), D(2026, 8, 31))
    old.name = "Tarif 2025"
    old.save()
    return canteen


def page(client) -> str:
    response = client.get("/tarifs/")
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_anyone_reads_the_prices_by_band_before_booking(client, grid):
    text = page(client)
    assert "Tarifs" in text
    assert "Restauration Scolaire Malves (École de Malves)" in text
    assert "Valable du 01/09/2026 au 31/08/2027" in text
    for row in ("0 à 600 1,20 € 1,80 €", "601 à 1200 2,50 € 3,75 €", "1201 et plus 3,70 € 5,55 €"):
        assert row in " ".join(text.split()).replace("\u202f", " ").replace("\xa0", " ")
    assert "9,99" not in text  # a tariff that is over is not shown
    assert "Votre tranche" not in text


def test_a_family_reads_its_own_band(client, grid):
    household = factories.household(quotient_familial=800)
    guardian = factories.guardian(household)
    client.force_login(guardian.user)
    html = client.get("/tarifs/").content.decode()
    text = " ".join(text_of(html).split()).replace("\xa0", " ").replace("\u202f", " ")
    assert "Votre quotient familial : 800." in text
    assert "601 à 1200 2,50 € 3,75 € Votre tranche" in text
    assert html.count('class="row--own"') == 1


def test_without_a_known_qf_the_highest_band_is_theirs(client, grid):
    guardian = factories.guardian()
    client.force_login(guardian.user)
    text = " ".join(page(client).split()).replace("\xa0", " ").replace("\u202f", " ")
    assert "la tranche la plus haute s'applique" in text
    assert "1201 et plus 3,70 € 5,55 € Votre tranche" in text


def test_in_english(client, grid):
    client.cookies["portail_language"] = "en"
    text = page(client)
    assert "Prices" in text and "1201 and more" in text


def test_the_menu_links_to_it(client, grid):
    assert 'href="/tarifs/"' in client.get("/aide/").content.decode()
