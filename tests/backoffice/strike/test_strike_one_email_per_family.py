"""A strike over several days sends each family ONE e-mail listing all its children's
days, in each guardian's language (French by default, English when chosen)."""

import pytest
from django.core import mail

from portail.backoffice import strike
from portail.families.models import Document
from tests import factories

pytestmark = pytest.mark.django_db


def test_one_email_per_family_lists_its_days(town, week):
    # The DURANDs read English; the MARTINs' guardian never chose: French.
    town.durand_parent.language = "en"
    town.durand_parent.save()
    staff_english = factories.staff()  # the staff's own language does not matter
    choice = strike.Choice(
        start=week["days"][0],
        end=week["days"][4],
        sites=[town.site, town.other_site],
        activities=[],
        reason="Grève du personnel",
    )
    result = strike.close_days(choice, actor=staff_english)
    assert len(result.closed) == 10
    assert sorted(m.to[0] for m in mail.outbox) == [
        "parent.durand@example.org",
        "parent.martin@example.org",
    ]
    martin = next(m for m in mail.outbox if m.to == ["parent.martin@example.org"])
    durand = next(m for m in mail.outbox if m.to == ["parent.durand@example.org"])
    # The MARTINs: Emy Monday and Tuesday at Malves, Lise Tuesday at Pennautier, in French.
    # (Strings already in the catalogue: the new ones are compiled by the integrator.)
    assert martin.body.startswith("Bonjour,")
    assert "Motif : Grève du personnel" in martin.body
    assert martin.body.count("est ajouté à votre avoir") == 3
    assert martin.body.count("Emy MARTIN") == 2 and martin.body.count("Lise MARTIN") == 1
    assert "16/11/2026" in martin.body and "17/11/2026" in martin.body
    assert "11,10" in martin.body  # 3 × 3,70 € credited
    # The DURANDs: Tom's two days, in English.
    assert "2 days of your children" in durand.subject and durand.body.startswith("Hello,")
    assert durand.body.count("Tom DURAND") == 2
    assert "is added to your credit" in durand.body and "€7.40" in durand.body
    assert Document.objects.filter(kind=Document.Kind.CLOSURE_NOTICE).count() == 2
