"""The dashboards show, beside a split KPI's number, the share of the reporting clusters that gave
each split (worked by hand: inside gives every split, outside only women and men)."""

from django.urls import reverse

from monitoring.rollups.staleness import process_stale
from tests.monitoring.rollup_reference import report_with
from tests.monitoring.test_rollup_splits import INSIDE_Q1, OUTSIDE_Q1, split  # noqa: F401


def approve_both(split):  # noqa: F811 (the fixture's value)
    report_with(split.inside, split.q1, {"d-trained": INSIDE_Q1})
    report_with(split.outside, split.q1, {"d-trained": OUTSIDE_Q1})
    process_stale()


def items(html: str) -> dict[str, str]:
    """data-split -> data-given of the page's split lines."""
    found = {}
    for chunk in html.split('<li data-split="')[1:]:
        dimension, rest = chunk.split('"', 1)
        found[dimension] = rest.split('data-given="')[1].split('"')[0]
    return found


def test_the_regional_dashboard_says_how_complete_each_split_is(
    client,
    split,  # noqa: F811
    django_assert_max_num_queries,
):
    approve_both(split)
    client.force_login(split.users["admin"])
    url = reverse("dashboard-region", args=[split.latam.pk])
    with django_assert_max_num_queries(22):
        html = client.get(url, {"period": split.q1.pk, "kpi": split.kpi.pk}).content.decode()
    region = html.split("<tfoot>")[1].split("</tfoot>")[0]  # the region's own total
    ecuador = html.split('data-country="EC"')[1].split("</tr>")[0]
    # region: sex from 2 of 2 clusters, age group, firm size and ownership from 1 of 2 (50%)
    assert items(region) == {"sex": "2/2", "age": "1/2", "firm_size": "1/2", "ownership": "1/2"}
    assert "Age group: 50% gave it" in region
    # Ecuador: outside gave only women and men
    assert items(ecuador) == {"sex": "1/1", "age": "0/1", "firm_size": "0/1", "ownership": "0/1"}
    assert "Sex: 100% gave it" in html


def test_the_national_dashboard_shows_the_parts_and_their_completeness(
    client,
    split,  # noqa: F811
):
    approve_both(split)
    client.force_login(split.users["admin"])
    url = reverse("dashboard-country", args=[split.argentina.pk])
    html = client.get(url, {"period": split.q1.pk}).content.decode()
    # Argentina holds inside alone: every split given by 1 of 1
    assert items(html) == {"sex": "1/1", "age": "1/1", "firm_size": "1/1", "ownership": "1/1"}
    assert "Age group: given by 1 of 1 reporting cluster (100%)" in html
    assert "Youth (15-24) 3, 25-34 5, 35 and over 2" in html
