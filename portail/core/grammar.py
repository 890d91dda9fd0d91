"""French grammar in generated text: "de" before a name elides ("Inscriptions d'Emy",
"Pointage d'Hugo"), "de Léo" otherwise.

A sentence naming someone has two msgids with the same English text: the plain one, and
the same with the context ELIDED, whose French writes d' where the plain one writes de.
`of_name()` picks the one the name needs (in Python); in a template, the `elides` filter
(`{% load grammar %}`) does, around two `{% blocktranslate %}`. In English both read the
same, so nothing changes there.
"""

import unicodedata

ELIDED = "before a vowel"  # the msgctxt of the elided form ("d'Emy" rather than "de Emy")

_VOWELS = "aeiou"


def elides(name: str) -> bool:
    """Whether French elides "de" before this name: it starts with a vowel (accents
    ignored: Émile, Île), a mute h (Hugo, Hélène: a first name's h is taken as mute) or a
    y sounding as a vowel (Yves, but not Yann nor Yanis)."""
    letters = [
        c
        for c in unicodedata.normalize("NFD", (name or "").strip().lower())
        if not unicodedata.combining(c)
    ]
    if not letters:
        return False
    first, second = letters[0], letters[1] if len(letters) > 1 else ""
    if first == "y":
        return second != "" and second not in _VOWELS
    return first == "h" or first in _VOWELS


def of_name(name: str, plain: str, elided: str) -> str:
    """`elided` when French elides "de" before `name`, else `plain`: the same English
    message translated twice, e.g.
    `of_name(child, _("Enrolments of %(name)s"),
    pgettext("before a vowel", "Enrolments of %(name)s"))` (the msgctxt is written out, not
    ELIDED: makemessages reads only literal strings)."""
    return elided if elides(name) else plain
