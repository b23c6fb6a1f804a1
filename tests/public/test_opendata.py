"""Open data: every public page's tables as CSV (licence line, then the documented columns) and
JSON, under the same publication rules as the pages; /open-data/ lists the datasets."""

import csv
import io
import json

from django.urls import reverse

from public.opendata.datasets import AREA_RESULT_COLUMNS, CLUSTER_COLUMNS, LICENCE


def csv_rows(response) -> tuple[str, list[dict]]:
    assert response.status_code == 200
    content = response.content.decode()
    licence, _newline, rest = content.partition("\n")
    return licence, list(csv.DictReader(io.StringIO(rest)))


def data(kind, code, table, fmt):
    return reverse("public-data", args=[kind, code, table, fmt])


def test_country_results_csv_has_the_licence_line_and_the_documented_columns(client, national):
    response = client.get(data("countries", "AR", "results", "csv"))
    licence, rows = csv_rows(response)
    assert licence == f"# Licence: {LICENCE}"
    header = response.content.decode().splitlines()[1]
    assert header.split(",") == AREA_RESULT_COLUMNS
    trained = next(r for r in rows if r["kpi_code"] == "firms-trained")
    # 12 + 20 + 30 published; San Juan (999) counted, not named
    assert trained["value"] == "62"
    assert trained["clusters_contributing"] == "3"
    assert trained["clusters_unpublished_reporting"] == "1"
    assert trained["contributing_clusters"] == "cordoba-software;mendoza-wine;rosario-biotech"
    hidden = next(r for r in rows if r["kpi_code"] == "hidden-kpi")
    assert hidden["value"] == "" and hidden["not_shown_reason"]  # 2 published clusters < 3


def test_country_results_json_says_the_same(client, national):
    response = client.get(data("countries", "AR", "results", "json"))
    document = json.loads(response.content)
    assert document["licence"] == LICENCE
    assert document["columns"] == AREA_RESULT_COLUMNS
    trained = next(r for r in document["rows"] if r["kpi_code"] == "firms-trained")
    assert (trained["value"], trained["year"]) == ("62", 2025)


def test_unpublished_data_is_in_no_dataset(client, national):
    bodies = [
        client.get(data("clusters", "mendoza-wine", "results", "csv")),
        client.get(data("clusters", "mendoza-wine", "results", "json")),
        client.get(data("countries", "AR", "clusters", "csv")),
        client.get(data("programs", "ar-clusters", "results", "json")),
        client.get(data("programs", "ar-clusters", "clusters", "json")),
        client.get(reverse("public-index-data", args=["csv"])),
        client.get(reverse("open-data")),
    ]
    for response in bodies:
        body = response.content.decode()
        assert response.status_code == 200
        assert "san-juan-olives" not in body and "San Juan" not in body
        assert "4242" not in body and "999" not in body
    cluster = json.loads(bodies[1].content)
    assert {r["kpi_code"] for r in cluster["rows"]} == {"firms-trained", "export-lead-time"}
    trained = next(r for r in cluster["rows"] if r["kpi_code"] == "firms-trained")
    assert (trained["value"], trained["value_women"], trained["value_men"]) == ("12", "7", "5")
    for kind, code in (("clusters", "san-juan-olives"), ("countries", "EC"), ("regions", "latam")):
        assert client.get(data(kind, code, "results", "csv")).status_code == 404


def test_index_dataset_lists_published_clusters_with_stable_columns(client, national):
    response = client.get(reverse("public-index-data", args=["csv"]))
    _licence, rows = csv_rows(response)
    assert list(rows[0]) == CLUSTER_COLUMNS
    assert [r["cluster_code"] for r in rows] == [
        "cordoba-software",
        "mendoza-wine",
        "rosario-biotech",
    ]


def test_program_money_table(client, national):
    document = json.loads(client.get(data("programs", "ar-clusters", "money", "json")).content)
    (money,) = document["rows"]
    assert (money["funder_amount"], money["disbursed"], money["disbursement_rate_percent"]) == (
        "100",
        "50",
        "50",
    )


def test_open_data_lists_every_dataset_with_its_last_change(client, national):
    body = client.get(reverse("open-data")).content.decode()
    for dataset in (
        "index/clusters",
        "clusters/mendoza-wine",
        "clusters/cordoba-software",
        "countries/AR",
        "programs/ar-clusters",
    ):
        assert f'data-dataset="{dataset}"' in body
    assert 'data-dataset="regions/southern-cone"' not in body  # not published by its owner
    assert data("countries", "AR", "results", "csv") in body
