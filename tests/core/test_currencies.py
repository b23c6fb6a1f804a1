"""ISO 4217 codes and each country's currency (core.currencies), and the activity's currency
checked and proposed through every door: the API, the form and the import."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.currencies import COUNTRY_CURRENCY, ISO_4217, currency_of_country, validate_currency
from monitoring.activities.template import KEYS
from monitoring.models import Activity
from tests.monitoring.activity_data import make_activity


def test_every_countrys_currency_is_an_active_iso_code():
    assert set(COUNTRY_CURRENCY.values()) <= ISO_4217
    assert all(len(code) == 2 and code.isupper() for code in COUNTRY_CURRENCY)
    assert len(COUNTRY_CURRENCY) > 240


@pytest.mark.parametrize(
    ("country", "currency"),
    [("AR", "ARS"), ("ar", "ARS"), ("TH", "THB"), ("EC", "USD"), ("DE", "EUR"), ("XX", "")],
)
def test_a_country_gives_its_currency(country, currency):
    assert currency_of_country(country) == currency


@pytest.mark.parametrize("code", ["ZZZ", "XYZ", "XXX", "XTS", "usd", "US", ""])
def test_codes_that_are_not_active_currencies_are_refused(code):
    with pytest.raises(ValidationError):
        validate_currency(code)


ACTIVITY = {
    "date": "2025-04-01",
    "type": "trade_fair",
    "title": "Vinexpo stand",
    "cost_program": "10",
}


@pytest.mark.parametrize("code", ["ZZZ", "XYZ"])
def test_the_api_refuses_a_made_up_currency(api_client, world, code):
    api_client.force_authenticate(world.users["bso_staff"])
    body = {**ACTIVITY, "cluster": world.inside.pk, "currency": code}
    response = api_client.post(reverse("api:activity-list"), body, format="json")
    assert response.status_code == 400
    assert "ISO 4217" in response.json()["currency"][0]
    assert not Activity.objects.exists()
    body["currency"] = "ars"
    assert api_client.post(reverse("api:activity-list"), body, format="json").status_code == 201
    assert Activity.objects.get().currency == "ARS"


def test_the_form_refuses_a_made_up_currency_and_keeps_what_was_typed(client, world):
    client.force_login(world.users["bso_staff"])
    form = {**ACTIVITY, "cluster": world.inside.pk, "currency": "XYZ"}
    response = client.post(reverse("activity-new"), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "XYZ is not an ISO 4217 currency code" in page
    assert 'value="Vinexpo stand"' in page  # nothing else typed is lost
    assert not Activity.objects.exists()


def test_the_import_refuses_a_made_up_currency_on_its_row(client, world):
    cells = {"cluster": "mendoza-wine", **ACTIVITY, "currency": "ZZZ"}
    text = ",".join(KEYS) + "\n" + ",".join(str(cells.get(key, "")) for key in KEYS)
    client.force_login(world.users["bso_staff"])
    response = client.post(
        reverse("activity-import"), {"file": SimpleUploadedFile("a.csv", text.encode())}
    )
    assert response.status_code == 400
    problems = [str(p) for p in response.context["errors"]]
    assert any(p.startswith("Row 2, currency:") and "ISO 4217" in p for p in problems), problems
    assert not Activity.objects.exists()


def _proposed_currency(client, query="") -> str:
    form = client.get(reverse("activity-new") + query).context["form"]
    return form.initial["currency"]


def test_the_form_proposes_the_clusters_country_currency(client, world):
    client.force_login(world.users["bso_staff"])
    assert _proposed_currency(client) == "ARS"  # all the BSO's clusters are in Argentina
    assert _proposed_currency(client, f"?cluster={world.inside.pk}") == "ARS"
    make_activity(world.inside, world.bso, currency="EUR")
    assert _proposed_currency(client, f"?cluster={world.inside.pk}") == "EUR"  # its last one


def test_the_form_proposes_nothing_from_a_cluster_outside_the_scope(client, world):
    make_activity(world.outside, world.other_bso, currency="EUR")
    client.force_login(world.users["bso_staff"])
    assert _proposed_currency(client, f"?cluster={world.outside.pk}") == "ARS"


def test_an_administrator_across_countries_types_the_currency(client, world):
    client.force_login(world.users["admin"])
    assert _proposed_currency(client) == ""  # Argentina and Ecuador: no single guess
    assert _proposed_currency(client, f"?cluster={world.outside.pk}") == "USD"


def test_the_new_form_carries_each_clusters_currency_for_its_script(client, world):
    make_activity(world.outside, world.other_bso, currency="EUR")
    client.force_login(world.users["admin"])
    response = client.get(reverse("activity-new"))
    assert response.context["currencies"] == {world.inside.pk: "ARS", world.outside.pk: "EUR"}
    page = response.content.decode()
    assert 'id="cluster-currencies"' in page and "js/activity-currency.js" in page
    client.force_login(world.users["bso_staff"])
    assert client.get(reverse("activity-new")).context["currencies"] == {world.inside.pk: "ARS"}
