"""Each guardian reads the reminder in their own language, dates written the portal's
way (DD/MM/YYYY, 24-hour clock) in both."""

import datetime

import pytest

from tests import factories
from tests.reminders.helpers import WEEK_REMINDER_FROM, mails_to, run
from tests.world.commune import build

pytestmark = pytest.mark.django_db


def test_french_and_english_guardians_each_get_their_own(time_machine):
    world = build()
    world.user.language = "fr"
    world.user.save(update_fields=["language"])
    english = factories.guardian(world.household, email="english@example.org", language="en")
    time_machine.move_to(WEEK_REMINDER_FROM + datetime.timedelta(hours=1))
    run()

    [french_mail] = mails_to(world.user.email)
    [english_mail] = mails_to(english.user.email)
    assert french_mail.body.startswith("Bonjour,")
    assert "jeudi 03/12/2026" in french_mail.subject
    assert english_mail.body.startswith("Hello,")
    assert "Thursday 03/12/2026 at 10:00" in english_mail.subject
    assert "Nothing is booked yet for the week of 07/12/2026 for:" in english_mail.body
