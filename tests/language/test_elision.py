"""French elides "de" before a name starting with a vowel sound: "Inscriptions d'Emy",
"Pointage d'Hugo", but "de Léo", "de Yann" (core.grammar)."""

import pytest
from django.template import Context, Template

from portail.core.grammar import elides, of_name


@pytest.mark.parametrize(
    "name", ["Emy", "Hugo", "Émile", "Oscar", "Ulysse", "Yves", "ARNAUD", "Île-de-France"]
)
def test_a_vowel_or_a_mute_h_elides(name):
    assert elides(name)


@pytest.mark.parametrize("name", ["Léo", "Lise", "Yann", "Yanis", "DUPONT", "", "  "])
def test_a_consonant_does_not(name):
    assert not elides(name)


def test_of_name_chooses_the_elided_message():
    plain, elided = "Inscriptions de %(name)s", "Inscriptions d'%(name)s"
    assert of_name("Emy", plain, elided) % {"name": "Emy"} == "Inscriptions d'Emy"
    assert of_name("Léo", plain, elided) % {"name": "Léo"} == "Inscriptions de Léo"


def test_the_template_filter_says_the_same():
    template = Template(
        "{% load grammar %}{% if name|elides %}d'{% else %}de {% endif %}{{ name }}"
    )
    assert template.render(Context({"name": "Hugo"})) == "d'Hugo"
    assert template.render(Context({"name": "Léo"})) == "de Léo"
