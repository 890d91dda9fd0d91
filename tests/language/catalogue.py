"""The French of var/fr-pastdays.json put in the loaded French catalogue for a test, so
that the pages' choice of the elided message is proved before the integrator compiles it."""

import contextlib

from django.utils.translation import trans_real

ELIDED_FR = {
    "Enrolments of %(name)s": "Inscriptions d'%(name)s",
    "Attendance of %(child)s, %(day)s: %(mark)s.": "Pointage d'%(child)s, %(day)s : %(mark)s.",
}
PLAIN_FR = {
    "Enrolments of %(name)s": "Inscriptions de %(name)s",
    "Attendance of %(child)s, %(day)s: %(mark)s.": "Pointage de %(child)s, %(day)s : %(mark)s.",
}


@contextlib.contextmanager
def french_elisions():
    """The elided forms (msgctxt "before a vowel") and the plain ones, in the French
    catalogue while the block runs."""
    catalogue = trans_real.translation("fr")._catalog._catalogs[0]
    added = {f"before a vowel\x04{msgid}": msgstr for msgid, msgstr in ELIDED_FR.items()}
    added.update(PLAIN_FR)
    kept = {key: catalogue[key] for key in added if key in catalogue}
    catalogue.update(added)
    try:
        yield
    finally:
        for key in added:
            catalogue.pop(key, None)
        catalogue.update(kept)
