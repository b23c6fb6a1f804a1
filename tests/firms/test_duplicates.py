"""The duplicate rule: the same tax id, or the same normalised name in the same locality."""

import pytest

from firms.models import Firm
from firms.names import name_key
from firms.selectors import duplicate_pairs
from tests.factories import CountryFactory, FirmFactory


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bodega Los Andes S.A.", "BODEGA LOS ANDES SA"),
        ("Viñedos del Sur SRL", "Vinedos del Sur S.R.L."),
        ("Agro-Sur Ltda.", "agro sur"),
        ("Café Ñandú S.A. de C.V.", "cafe nandu"),
        ("Textiles Norte Ltd", "Textiles  Norte, Ltd."),
        ("AgroSur S.A.S.", "Agro Sur"),
    ],
)
def test_names_spelt_differently_have_one_key(one, other):
    assert name_key(one) == name_key(other)


def test_a_legal_form_alone_is_still_a_name():
    assert name_key("S.A.") == "sa"
    assert name_key("Bodega Norte") != name_key("Bodega Sur")


@pytest.mark.django_db
def test_same_name_and_locality_is_a_likely_duplicate():
    ar = CountryFactory(code="AR")
    first = FirmFactory(name="Bodega Los Andes S.A.", country=ar, locality="Luján de Cuyo")
    second = FirmFactory(name="bodega los andes", country=ar, locality="LUJAN DE CUYO")
    FirmFactory(name="Bodega Los Andes", country=ar, locality="Maipú")  # another town
    FirmFactory(
        name="Bodega Los Andes", country=CountryFactory(code="CL"), locality="Luján de Cuyo"
    )

    pairs = duplicate_pairs(Firm.objects.all())

    assert [(p.first, p.second, p.reason) for p in pairs] == [(first, second, "name")]


@pytest.mark.django_db
def test_same_tax_id_in_two_countries_is_a_likely_duplicate():
    first = FirmFactory(name="Alpha", tax_id="30-71234567-8", country=CountryFactory(code="AR"))
    second = FirmFactory(name="Beta", tax_id="30712345678", country=CountryFactory(code="UY"))

    pairs = duplicate_pairs(Firm.objects.all())

    assert [(p.first, p.second, p.reason) for p in pairs] == [(first, second, "tax_id")]


@pytest.mark.django_db
def test_one_name_with_two_different_tax_ids_is_two_firms():
    ar = CountryFactory(code="AR")
    FirmFactory(name="Bodega Norte", tax_id="111", country=ar, locality="Mendoza")
    FirmFactory(name="Bodega Norte SA", tax_id="222", country=ar, locality="Mendoza")
    one_blank = FirmFactory(name="Bodega Norte SRL", country=ar, locality="Mendoza")

    pairs = duplicate_pairs(Firm.objects.all())

    assert len(pairs) == 2
    assert all(one_blank in (p.first, p.second) for p in pairs)


@pytest.mark.django_db
def test_duplicates_are_proposed_only_among_the_firms_given():
    ar = CountryFactory(code="AR")
    first = FirmFactory(name="Olivos SA", country=ar, locality="Mendoza")
    FirmFactory(name="Olivos", country=ar, locality="Mendoza")

    assert duplicate_pairs(Firm.objects.filter(pk=first.pk)) == []


@pytest.mark.django_db
def test_a_tax_id_is_unique_in_its_country_however_it_is_written():
    from django.core.exceptions import ValidationError

    ar = CountryFactory(code="AR")
    FirmFactory(name="Alpha", tax_id="30-71234567-8", country=ar)
    with pytest.raises(ValidationError) as error:
        Firm(name="Beta", tax_id="30 7123 4567 8", country=ar).full_clean()
    assert "tax id" in str(error.value)
