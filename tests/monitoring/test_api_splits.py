"""A value's parts (age group, firm size, ownership) through the API: sent, kept, read back, and
flagged when they do not add up; the lists stay within their queries."""

import pytest
from django.urls import reverse

from monitoring.models import MeasurementSplit
from scorecards.models import KPI
from tests.monitoring.test_rollup_splits import age_groups

CODE = "thai-skills-participants"  # a count split by sex in the Thai Food scorecard


@pytest.fixture
def split_value(thai):
    age_groups()
    KPI.objects.filter(code=CODE).update(by_age=True, by_ownership=True)
    return thai.report.measurements.get(kpi__code=CODE)


def bso_client(api_client, world):
    api_client.force_authenticate(world.users["bso_staff"])
    return api_client


def test_parts_sent_are_read_back_as_they_were_sent(api_client, thai, split_value):
    client = bso_client(api_client, thai)
    url = reverse("api:measurement-detail", args=[split_value.pk])
    sent = {
        "value_women": "4",
        "value_men": "6",
        "splits": {
            "age": {"youth": "3", "25-34": "5", "35-plus": "2"},
            "ownership": {"women_led": "7", "not_women_led": "3"},
        },
    }
    response = client.patch(url, sent, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["value"] == "10.0000"  # women 4 + men 6
    assert body["splits"] == {
        "age": {"youth": "3.0000", "25-34": "5.0000", "35-plus": "2.0000"},
        "ownership": {"women_led": "7.0000", "not_women_led": "3.0000"},
    }
    assert body["flags"] == []
    # and the GET of the value and of its report say the same
    assert client.get(url).json()["splits"] == body["splits"]
    report = client.get(reverse("api:report-detail", args=[thai.report.pk])).json()
    (mine,) = [m for m in report["measurements"] if m["id"] == split_value.pk]
    assert mine["splits"] == body["splits"]


def test_a_dimension_sent_replaces_its_parts_and_keeps_the_others(api_client, thai, split_value):
    client = bso_client(api_client, thai)
    url = reverse("api:measurement-detail", args=[split_value.pk])
    client.patch(
        url,
        {
            "value": "10",
            "value_women": "4",
            "value_men": "6",
            "splits": {"age": {"youth": "10"}, "ownership": {"women_led": "10"}},
        },
        format="json",
    )
    body = client.patch(url, {"splits": {"age": {"25-34": "10"}}}, format="json").json()
    assert body["splits"] == {"age": {"25-34": "10.0000"}, "ownership": {"women_led": "10.0000"}}
    assert MeasurementSplit.objects.filter(measurement=split_value).count() == 2


def test_parts_not_adding_up_are_saved_with_a_flag(api_client, thai, split_value):
    client = bso_client(api_client, thai)
    url = reverse("api:measurement-detail", args=[split_value.pk])
    # youth 3 + 25-34 5 = 8, total 10
    body = client.patch(
        url,
        {"value_women": "4", "value_men": "6", "splits": {"age": {"youth": "3", "25-34": "5"}}},
        format="json",
    ).json()
    assert body["splits"] == {"age": {"youth": "3.0000", "25-34": "5.0000"}}
    assert [(f["rule"], f["message"]) for f in body["flags"]] == [
        ("parts", "parts add up to age group 8, total 10")
    ]


def test_a_part_that_is_not_a_count_is_an_error_keyed_by_its_category(
    api_client, thai, split_value
):
    client = bso_client(api_client, thai)
    url = reverse("api:measurement-detail", args=[split_value.pk])
    response = client.patch(
        url, {"value": "10", "splits": {"age": {"youth": "2.5"}}}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["splits.age.youth"]


def test_the_value_lists_read_the_parts_in_one_query(
    api_client, thai, split_value, django_assert_max_num_queries
):
    client = bso_client(api_client, thai)
    for m in thai.report.measurements.filter(kpi__code=CODE):
        client.patch(
            reverse("api:measurement-detail", args=[m.pk]),
            {"value_women": "1", "value_men": "1", "splits": {"age": {"youth": "2"}}},
            format="json",
        )
    with django_assert_max_num_queries(6):
        values = client.get(reverse("api:measurement-list"), {"page_size": 500}).json()
    assert any(v["splits"] for v in values["results"])
