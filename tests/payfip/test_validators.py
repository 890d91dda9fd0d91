"""What the client refuses to send to PayFiP, and how it cleans the objet."""

import pytest
from django.core.exceptions import ValidationError

from portail.payfip import validators as v


@pytest.mark.parametrize("refdet", ["ABC123", "A" * 30, "2025000000123", "abcdef"])
def test_refdet_of_6_to_30_letters_and_digits_is_accepted(refdet):
    assert v.validate_refdet(refdet) == refdet


@pytest.mark.parametrize(
    "refdet", ["ABC12", "A" * 31, "", "ABC-123", "ABC 123", "ABCÉ12", "ABC123\n", 123456, None]
)
def test_refdet_outside_the_alphabet_or_length_is_refused(refdet):
    with pytest.raises(ValidationError) as info:
        v.validate_refdet(refdet)
    assert info.value.code == "refdet"


def test_refdet_with_arabic_indic_digits_is_refused():
    # str.isdigit() would accept them; PayFiP would not.
    with pytest.raises(ValidationError):
        v.validate_refdet("ABC١٢٣")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cantine Été 2025", "Cantine Ete 2025"),
        ("Réservation n°12 : Lise & Emy", "Reservation n 12 Lise Emy"),
        ("  espaces   multiples  ", "espaces multiples"),
        ("L'œuf de Pâques", "L oeuf de Paques"),
        ("Straße", "Strasse"),
        ("", ""),
        (None, ""),
        ("€€€", ""),
        ("tab\tet\nligne", "tab et ligne"),
    ],
)
def test_objet_is_normalised_to_ascii_letters_digits_and_spaces(raw, expected):
    assert v.normalise_objet(raw) == expected


def test_objet_is_cut_at_100_characters_without_a_trailing_space():
    text = "mot " * 40
    cleaned = v.normalise_objet(text)
    assert len(cleaned) <= 100
    assert not cleaned.endswith(" ")
    assert set(cleaned) <= set("mot ")


@pytest.mark.parametrize("mel", ["a@b.fr", "parent@example.org", f"{'x' * 68}@example.org"])
def test_mel_of_6_to_80_characters_with_an_at_sign_is_accepted(mel):
    assert v.validate_mel(mel) == mel


def test_mel_is_stripped_of_surrounding_spaces():
    assert v.validate_mel("  parent@example.org ") == "parent@example.org"


@pytest.mark.parametrize(
    "mel",
    [
        "a@b.f",  # 5 characters
        f"{'x' * 69}@example.org",  # 81 characters
        "parent.example.org",
        "parent@@example.org",
        "par ent@example.org",
        "élodie@example.org",
        "",
        None,
    ],
)
def test_bad_mel_is_refused(mel):
    with pytest.raises(ValidationError) as info:
        v.validate_mel(mel)
    assert info.value.code == "mel"


@pytest.mark.parametrize("cents", [100, 1480, 10_000_000])
def test_montant_from_1_to_100000_euros_is_accepted(cents):
    assert v.validate_montant(cents) == cents


@pytest.mark.parametrize("cents", [99, 0, -100, 10_000_001, 14.8, "1480", True, None])
def test_montant_outside_the_range_or_not_whole_cents_is_refused(cents):
    with pytest.raises(ValidationError) as info:
        v.validate_montant(cents)
    assert info.value.code == "montant"


@pytest.mark.parametrize(("exer", "expected"), [(2025, "2025"), ("2025", "2025"), (1999, "1999")])
def test_exer_is_four_digits(exer, expected):
    assert v.validate_exer(exer) == expected


@pytest.mark.parametrize("exer", [25, 20255, "25", "20a5", True, None])
def test_exer_not_four_digits_is_refused(exer):
    with pytest.raises(ValidationError):
        v.validate_exer(exer)


@pytest.mark.parametrize("numcli", ["012345", "000000"])
def test_numcli_is_six_digits_as_text(numcli):
    assert v.validate_numcli(numcli) == numcli


@pytest.mark.parametrize("numcli", ["12345", "1234567", "12345a", 12345, ""])
def test_numcli_not_six_digits_is_refused(numcli):
    with pytest.raises(ValidationError):
        v.validate_numcli(numcli)


@pytest.mark.parametrize("saisie", ["T", "X", "W"])
def test_saisie_is_t_x_or_w(saisie):
    assert v.validate_saisie(saisie) == saisie


@pytest.mark.parametrize("saisie", ["M", "t", "", "TX"])
def test_other_saisie_is_refused(saisie):
    with pytest.raises(ValidationError):
        v.validate_saisie(saisie)


def test_return_urls_must_be_absolute_http_and_short():
    assert v.validate_return_url("https://portail.example.org/paiement/notification/")
    for bad in [
        "/paiement/notification/",
        "ftp://example.org/x",
        "https://example.org/" + "x" * 240,
        "https://example.org/a b",
    ]:
        with pytest.raises(ValidationError):
            v.validate_return_url(bad)


def test_idop_must_look_like_a_payfip_idop():
    assert v.validate_idop("4b0eb5b0-b335-11e2-9219-001fe256bdfe")
    for bad in ["", "x" * 65, "abc def", "<script>", "abc;drop", None]:
        with pytest.raises(ValidationError):
            v.validate_idop(bad)
