"""The back office writes "Inscriptions d'Emy" but "Inscriptions de Lise": the page picks
the elided message (msgctxt "before a vowel") for a name starting with a vowel sound."""

import pytest

from tests.language.catalogue import french_elisions
from tests.world.commune import seed_family
from tests.world.staff import client_for, gestionnaire

pytestmark = pytest.mark.django_db


def test_the_household_page_elides_before_emy():
    fam = seed_family()
    client = client_for(gestionnaire(), "fr")
    with french_elisions():
        text = client.get(f"/gestion/familles/{fam.household.pk}/").content.decode()
    assert "Inscriptions d&#x27;Emy" in text or "Inscriptions d'Emy" in text
    assert "Inscriptions de Lise" in text


def test_english_reads_the_same_for_both_forms():
    fam = seed_family()
    text = client_for(gestionnaire(), "en").get(f"/gestion/familles/{fam.household.pk}/")
    assert "Enrolments of Emy" in text.content.decode()
    assert "Enrolments of Lise" in text.content.decode()
