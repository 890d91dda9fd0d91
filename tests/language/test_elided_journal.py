"""The service's journal writes "Pointage d'Emy …" (an attendance mark), "Pointage de
Lise …" for a name starting with a consonant."""

import pytest
from django.utils import translation

from portail.backoffice.attendance.sheet import Mark
from portail.backoffice.models import StaffAction, StaffActionKind
from tests.factories import paid_booking
from tests.language.catalogue import french_elisions
from tests.world.booking import mark
from tests.world.commune import build
from tests.world.days import MONDAY
from tests.world.staff import gestionnaire

pytestmark = pytest.mark.django_db


def test_the_attendance_summary_elides_before_emy():
    world = build(children=2)
    world.extra["staff"] = gestionnaire()
    emy, lise = world.children
    emy.first_name, lise.first_name = "Emy", "Lise"
    emy.save(update_fields=["first_name"])
    lise.save(update_fields=["first_name"])
    for child in (emy, lise):
        paid_booking(child, world.sessions[MONDAY])
    with translation.override("fr"), french_elisions():
        mark(world, emy, Mark.PRESENT)
        mark(world, lise, Mark.PRESENT)
    summaries = list(
        StaffAction.objects.filter(kind=StaffActionKind.ATTENDANCE)
        .order_by("pk")
        .values_list("summary", flat=True)
    )
    assert summaries[0].startswith("Pointage d'Emy ")
    assert summaries[1].startswith("Pointage de Lise ")
