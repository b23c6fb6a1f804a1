"""The program's IATI 2.03 activity file: valid against the schema, with its money and the results
of published clusters only (published KPIs, approved values), scoped like the program."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from clusters.models import Decision
from public.services import publication_set
from tests.factories import MeetingFactory, ProgramFactory, SteeringCommitteeFactory

# The schema and the two files it imports, copied into the repository (standards/README.md):
# lxml resolves them from disk, never from the internet.
SCHEMA = Path(settings.BASE_DIR) / "standards" / "iati-2.03" / "iati-activities-schema.xsd"
LOCATION = "XM-DAC-46012-ar-clusters-mendoza-wine"


@pytest.fixture(scope="module")
def schema():
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser))


def iati(client, program) -> etree._Element:
    response = client.get(reverse("api:program-iati", args=[program.pk]))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def signed_in(api_client, world, role="program_officer"):
    api_client.force_authenticate(world.users[role])
    return api_client


def test_the_file_validates_against_the_iati_schema(api_client, published, schema):
    root = iati(signed_in(api_client, published.world), published.world.program)
    assert schema.validate(root), schema.error_log
    activity = root.find("iati-activity")
    assert root.get("version") == "2.03"
    assert activity.findtext("iati-identifier") == "XM-DAC-46012-ar-clusters"
    assert activity.find("reporting-org").get("ref") == "XM-DAC-46012"
    assert activity.find("activity-status").get("code") == "2"  # in execution: implementation
    roles = {
        org.get("role"): org.findtext("narrative") for org in activity.iter("participating-org")
    }
    assert roles == {"1": "IDB", "4": "Ministerio de Desarrollo Productivo"}
    assert [c.get("code") for c in activity.iter("recipient-country")] == ["AR"]
    assert activity.find("sector").get("code") == "32130"


def test_a_disbursement_is_a_transaction_of_type_3_with_currency_and_value_date(
    api_client, published
):
    activity = iati(signed_in(api_client, published.world), published.world.program)[0]
    disbursements = [
        t for t in activity.iter("transaction") if t.find("transaction-type").get("code") == "3"
    ]
    assert len(disbursements) == 1
    (transaction,) = disbursements
    assert transaction.find("transaction-date").get("iso-date") == "2024-02-01"
    value = transaction.find("value")
    assert (value.text, value.get("currency"), value.get("value-date")) == (
        "50",
        "USD",
        "2024-02-01",
    )
    assert transaction.findtext("description/narrative") == "REQ-7"
    budget = activity.find("budget")
    assert budget.findtext("value") == "200"
    assert budget.find("period-end").get("iso-date") == "2027-12-31"


def test_a_result_period_carries_targets_actuals_and_sex(api_client, published):
    activity = iati(signed_in(api_client, published.world), published.world.program)[0]
    results = {r.findtext("title/narrative"): r for r in activity.iter("result")}
    assert set(results) == {"People trained by the cluster", "Days to clear an export"}
    trained = results["People trained by the cluster"].find("indicator")
    assert (trained.get("measure"), trained.get("ascending")) == ("1", "1")
    baseline = trained.find("baseline")
    assert (baseline.get("year"), baseline.get("value")) == ("2024", "3")
    assert baseline.find("location").get("ref") == LOCATION
    (period,) = trained.findall("period")  # the Q2 draft is not there
    assert period.find("period-start").get("iso-date") == "2025-01-01"
    assert period.find("period-end").get("iso-date") == "2025-03-31"
    assert {t.get("value") for t in period.iter("target")} == {"50", "20"}
    cluster_target = [t for t in period.iter("target") if t.find("location") is not None]
    assert [t.get("value") for t in cluster_target] == ["20"]
    actuals = [
        (
            a.get("value"),
            a.find("location").get("ref"),
            a.find("dimension").get("value") if a.find("dimension") is not None else None,
        )
        for a in period.iter("actual")
    ]
    assert actuals == [("12", LOCATION, None), ("7", LOCATION, "female"), ("5", LOCATION, "male")]
    lead_time = results["Days to clear an export"]
    assert lead_time.get("type") == "2"  # outcome
    assert lead_time.find("indicator").get("ascending") == "0"  # lower is better


def test_unpublished_cluster_withheld_kpi_and_draft_value_are_absent(api_client, published):
    response = signed_in(api_client, published.world).get(
        reverse("api:program-iati", args=[published.world.program.pk])
    )
    text = response.content.decode()
    assert "Mendoza wine" in text  # the published cluster is a location
    for absent in ("San Juan olives", "san-juan-olives", "999"):  # never published
        assert absent not in text
    for absent in ("Secret margin", "hidden-kpi", "4242"):  # a KPI kept unpublished
        assert absent not in text
    for absent in ('"633"', '"300"', '"333"', "2025-04-01"):  # the Q2 draft
        assert absent not in text


def test_switching_publication_off_takes_the_cluster_out(api_client, published):
    world = published.world
    publication_set(
        cluster=world.inside,
        published=False,
        decision=published.decision,
        withheld_kpis=[],
        by=world.users["bso_staff"],
    )
    activity = iati(signed_in(api_client, world), world.program)[0]
    assert activity.find("result") is None
    assert activity.find("location") is None
    assert "Mendoza wine" not in etree.tostring(activity, encoding="unicode")


def test_the_iati_answer_is_bounded_in_queries(
    api_client, published, django_assert_max_num_queries
):
    client = signed_in(api_client, published.world)
    with django_assert_max_num_queries(14):
        iati(client, published.world.program)


def test_the_iati_queries_do_not_grow_with_published_clusters(api_client, published):
    world = published.world
    client = signed_in(api_client, world)
    with CaptureQueriesContext(connection) as one:
        iati(client, world.program)
    decision = Decision.objects.create(
        meeting=MeetingFactory(committee=SteeringCommitteeFactory(cluster=published.san_juan)),
        text="Publish",
    )
    publication_set(
        cluster=published.san_juan,
        published=True,
        decision=decision,
        withheld_kpis=[],
        by=world.users["admin"],
    )
    with CaptureQueriesContext(connection) as two:
        text = etree.tostring(iati(client, world.program), encoding="unicode")
    assert "San Juan olives" in text and 'value="999"' in text
    assert len(two) == len(one)


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional", "admin"])
def test_a_program_outside_the_scope_answers_404(api_client, published, role):
    world = published.world
    client = signed_in(api_client, world, role)
    url = reverse("api:program-iati", args=[world.other_program.pk])
    assert client.get(url).status_code == (200 if role == "admin" else 404)
    assert client.get(reverse("api:program-iati", args=[world.program.pk])).status_code == 200


def test_anonymous_users_get_401(api_client, published):
    url = reverse("api:program-iati", args=[published.world.program.pk])
    assert api_client.get(url).status_code == 401


def test_the_program_page_offers_the_download(client, published):
    world = published.world
    client.force_login(world.users["program_officer"])
    page = client.get(world.program.get_absolute_url())
    download = reverse("program-iati", args=[world.program.pk])
    assert download in page.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="iati-ar-clusters.xml"'
    assert b"<iati-identifier>XM-DAC-46012-ar-clusters</iati-identifier>" in response.content
    assert client.get(reverse("program-iati", args=[world.other_program.pk])).status_code == 404


def test_an_officer_sets_the_reporting_organisation_through_the_api(api_client, published):
    world = published.world
    client = signed_in(api_client, world)
    response = client.patch(
        reverse("api:program-detail", args=[world.program.pk]),
        {
            "reporting_org_ref": "XI-IATI-EC_INTPA",
            "reporting_org_type": "40",
            "dac_sector": "25010",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    activity = iati(client, world.program)[0]
    assert activity.findtext("iati-identifier") == "XI-IATI-EC_INTPA-ar-clusters"
    assert activity.find("sector").get("code") == "25010"
    bad = client.patch(
        reverse("api:program-detail", args=[world.program.pk]), {"dac_sector": "25"}, format="json"
    )
    assert bad.status_code == 400
    assert "dac_sector" in bad.json()


def test_a_program_in_preparation_with_no_money_nor_results_validates_too(
    api_client, published, schema
):
    world = published.world
    program = ProgramFactory(code="bare", name="Bare program", funder="", executing_agency="")
    client = signed_in(api_client, world, "admin")
    root = iati(client, program)
    assert schema.validate(root), schema.error_log
    activity = root.find("iati-activity")
    assert activity.findtext("iati-identifier") == "bare"
    assert activity.find("activity-status").get("code") == "1"  # pipeline
    assert activity.find("transaction") is None
    assert activity.find("result") is None


def test_the_file_says_the_language_of_its_texts(api_client, published):
    client = signed_in(api_client, published.world)
    url = reverse("api:program-iati", args=[published.world.program.pk])
    root = etree.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="es").content)
    assert root[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    root = etree.fromstring(client.get(url).content)
    assert root[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
