"""Activity pages: the filterable list, the phone-friendly quick entry, a cluster's timeline."""

import datetime

import pytest
from django.urls import reverse

from monitoring.models.activities import Activity
from tests.factories import ClusterFactory, ClusterSupportFactory
from tests.monitoring.activity_data import make_activity


def form_data(world, **fields):
    return {
        "cluster": world.inside.pk,
        "date": "2025-03-03",
        "type": "training",
        "title": "Pruning course",
        "firms": "5",
        "women": "3",
        "men": "4",
        "cost_program": "100",
        "cost_firms": "",
        "cost_public": "0",
        "cost_credit": "0",
        "currency": "usd",
        **fields,
    }


def test_the_list_shows_the_users_scope_and_filters(world, client):
    make_activity(world.inside, world.bso, title="Inside training", type="training")
    make_activity(world.inside, world.bso, title="Inside fair", type="trade_fair")
    make_activity(world.outside, world.other_bso, title="Outside training", type="training")
    client.force_login(world.users["program_officer"])

    page = client.get(reverse("activity-list")).content.decode()
    assert "Inside training" in page and "Inside fair" in page
    assert "Outside training" not in page

    page = client.get(reverse("activity-list") + "?type=trade_fair").content.decode()
    assert "Inside fair" in page and "Inside training" not in page


def test_a_cluster_outside_the_scope_is_not_a_valid_filter(world, client):
    make_activity(world.outside, world.other_bso, title="Outside training")
    make_activity(world.inside, world.bso, title="Inside training")
    client.force_login(world.users["bso_staff"])

    response = client.get(reverse("activity-list") + f"?cluster={world.outside.pk}")

    page = response.content.decode()
    assert response.status_code == 400
    assert "Outside training" not in page
    assert "Inside training" not in page  # not the whole list, as if the filter were not there
    assert 'aria-describedby="id_cluster_error"' in page


def test_the_date_filters_two_inputs_each_say_which_end_of_the_range_they_are(world, client):
    client.force_login(world.users["bso_staff"])

    page = client.get(reverse("activity-list") + "?date_after=2025-01-01").content.decode()

    assert "<legend>Date (from, to)</legend>" in page
    assert 'name="date_after" value="2025-01-01" aria-label="Date from"' in page
    assert 'name="date_before" aria-label="Date to"' in page


@pytest.mark.parametrize("query", ["date_after=not-a-date", f"bso={2**64}", "type=bogus"])
def test_a_download_with_a_refused_filter_answers_the_list_and_its_error(world, client, query):
    client.force_login(world.users["bso_staff"])

    response = client.get(reverse("activity-export", args=["csv"]) + f"?{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert f'action="{reverse("activity-list")}"' in response.content.decode()
    assert "These filters could not be applied" in response.content.decode()


def test_the_list_page_runs_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    for n in range(40):
        cluster = ClusterFactory(country=world.argentina)
        ClusterSupportFactory(cluster=cluster, bso=world.bso)
        make_activity(cluster, world.bso, title=f"Activity {n}")
    client.force_login(world.users["bso_staff"])

    with django_assert_max_num_queries(9):
        response = client.get(reverse("activity-list"))

    assert response.content.decode().count('href="/activities/') >= 40


def test_the_quick_entry_form_is_built_for_a_phone(world, client):
    client.force_login(world.users["bso_staff"])
    page = client.get(reverse("activity-new")).content.decode()
    assert 'inputmode="numeric"' in page
    assert 'inputmode="decimal"' in page
    assert 'name="add_another"' in page
    assert 'type="date"' in page


def test_save_and_add_another_comes_back_with_the_same_cluster_date_and_type(world, client):
    client.force_login(world.users["bso_staff"])
    response = client.post(reverse("activity-new"), {**form_data(world), "add_another": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("activity-new") + "?")
    activity = Activity.objects.get()
    assert (activity.bso, activity.currency, activity.women) == (world.bso, "USD", 3)
    page = client.get(response["Location"]).content.decode()
    assert 'value="2025-03-03"' in page
    assert f'<option value="{world.inside.pk}" selected>' in page


def test_the_form_shows_the_services_errors_and_saves_nothing(world, client):
    client.force_login(world.users["bso_staff"])
    tomorrow = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(reverse("activity-new"), form_data(world, date=tomorrow))
    assert response.status_code == 400
    assert "in the future" in response.content.decode()
    response = client.post(reverse("activity-new"), form_data(world, cluster=world.outside.pk))
    assert response.status_code == 404  # a cluster outside the scope, as for reads
    assert not Activity.objects.exists()


def test_readers_cannot_open_the_form_or_change_activities(world, client):
    activity = make_activity(world.inside, world.bso)
    client.force_login(world.users["ministry"])
    assert client.get(reverse("activity-new")).status_code == 403
    assert client.get(reverse("activity-edit", args=[activity.pk])).status_code == 403
    assert client.post(reverse("activity-delete", args=[activity.pk])).status_code == 403
    assert client.get(reverse("activity-detail", args=[activity.pk])).status_code == 200


def test_edit_and_delete_out_of_scope_answer_404(world, client):
    activity = make_activity(world.outside, world.other_bso)
    client.force_login(world.users["bso_staff"])
    assert client.get(reverse("activity-detail", args=[activity.pk])).status_code == 404
    assert client.get(reverse("activity-edit", args=[activity.pk])).status_code == 404
    assert client.post(reverse("activity-delete", args=[activity.pk])).status_code == 404
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_editing_an_activity_goes_through_the_service(world, client):
    activity = make_activity(world.inside, world.bso, title="Old")
    client.force_login(world.users["bso_staff"])
    response = client.post(
        reverse("activity-edit", args=[activity.pk]), form_data(world, title="New")
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "New"


def test_the_cluster_timeline_groups_by_month_and_is_scoped(
    world, client, django_assert_max_num_queries
):
    for day in range(1, 29):
        make_activity(world.inside, world.bso, date=datetime.date(2025, 1 + day % 3, day))
    client.force_login(world.users["regional"])

    with django_assert_max_num_queries(6):
        page = client.get(reverse("cluster-activities", args=[world.inside.pk]))

    content = page.content.decode()
    assert content.count('class="timeline-month"') == 3
    assert content.count('class="timeline-item') == 28
    assert client.get(reverse("cluster-activities", args=[world.outside.pk])).status_code == 404


@pytest.mark.parametrize("role", ["bso_staff", "program_officer", "ministry", "regional"])
@pytest.mark.parametrize("cluster", ["outside", "missing"])
def test_a_cluster_filter_outside_the_scope_answers_400_on_the_api_the_page_and_downloads(
    world, client, api_client, role, cluster
):
    """Out of scope or naming nothing alike, and the same answer at every door: no rows."""
    make_activity(world.outside, world.other_bso, title="Outside pruning")
    make_activity(world.inside, world.bso, title="Inside pruning")
    query = f"?cluster={world.outside.pk if cluster == 'outside' else 2**31 - 1}"
    client.force_login(world.users[role])
    api_client.force_authenticate(world.users[role])

    api = api_client.get(reverse("api:activity-list") + query)
    page = client.get(reverse("activity-list") + query)
    downloads = [client.get(reverse("activity-export", args=[f]) + query) for f in ("csv", "xlsx")]

    assert [r.status_code for r in (api, page, *downloads)] == [400] * 4
    assert "cluster" in api.json()
    for response in (page, *downloads):
        text = response.content.decode()
        assert "pruning" not in text and 'aria-describedby="id_cluster_error"' in text


def test_the_form_shows_every_error_at_once_the_future_date_among_them(world, client):
    # A title left empty fails the form's own checks; the future date is the service's rule.
    # Both show on the first try, not the second only after the first is fixed.
    client.force_login(world.users["bso_staff"])
    tomorrow = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("activity-new"), form_data(world, date=tomorrow, title="", firms="many")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "in the future" in page
    assert "This field is required." in page
    assert "Enter a whole number." in page
    assert not Activity.objects.exists()


def test_the_service_gives_the_models_errors_and_its_rules_together(world):
    from django.core.exceptions import ValidationError

    from monitoring.activities.services import activity_create

    tomorrow = datetime.date.today() + datetime.timedelta(days=3)
    data = {
        "cluster": world.inside,
        "bso": world.bso,
        "date": tomorrow,
        "type": "training",
        "title": "Pruning course",
        "cost_program": -5,
        "currency": "USD",
    }
    with pytest.raises(ValidationError) as refused:
        activity_create(data=data, user=world.users["bso_staff"])
    text = str(refused.value.messages)
    assert "in the future" in text
    assert "greater than or equal to 0" in text  # the model field's own check
