"""One failing KPI or a broker that is down never blocks the other numbers or the user."""

import datetime

import pytest
from celery import current_app
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import RollupStale
from core.staleness import mark_stale
from monitoring.models import Rollup
from monitoring.rollups import engine, runs, staleness
from scorecards.models import KPI


def test_a_failing_kpi_keeps_its_marker_and_does_not_hold_up_the_others(thai, monkeypatch):
    lean, jit = KPI.objects.get(code="thai-lean"), KPI.objects.get(code="thai-jit")
    real = engine.recompute

    def flaky(*, period_ids=None, kpi_ids=None):
        if kpi_ids is None or lean.pk in kpi_ids:
            raise RuntimeError("disk full")
        return real(period_ids=period_ids, kpi_ids=kpi_ids)

    monkeypatch.setattr(engine, "recompute", flaky)  # what recompute_kpi calls
    monkeypatch.setattr(staleness, "recompute", flaky)
    RollupStale.objects.all().delete()  # the fixture's own markers (adoption, periods)
    mark_stale(kpi_ids=[lean.pk, jit.pk], period_ids=[thai.q1.pk], reason="test")

    staleness.process_stale()

    assert Rollup.objects.filter(kpi=jit, period=thai.q1).exists()
    assert not Rollup.objects.filter(kpi=lean).exists()
    assert set(RollupStale.objects.values_list("kpi_id", "period_id")) == {(lean.pk, thai.q1.pk)}


def test_a_broker_that_is_down_does_not_turn_a_saved_change_into_an_error(
    thai, monkeypatch, django_capture_on_commit_callbacks
):
    task = current_app.tasks["monitoring.tasks.process_stale_rollups"]

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(task, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        mark_stale(reason="test")  # does not raise
    assert RollupStale.objects.filter(reason="test").exists()  # the sweep will take it


def test_a_run_item_past_its_attempts_is_marked_failed_without_running(thai, monkeypatch):
    from monitoring.models import RollupRun, RollupRunItem

    run = RollupRun.objects.create(total=1)
    item = RollupRunItem.objects.create(run=run, year=2025, attempts=runs.MAX_ATTEMPTS)
    monkeypatch.setattr(runs, "recompute", pytest.fail)
    runs.run_item_execute(run_id=run.pk, year=2025)
    item.refresh_from_db()
    run.refresh_from_db()
    assert (item.state, run.status) == ("failed", "failed")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ANALYZE is PostgreSQL's")
def test_the_run_that_finishes_samples_the_tables_it_rewrote_once(thai):
    from monitoring.models import RollupRun, RollupRunItem

    run = RollupRun.objects.create(total=2)
    RollupRunItem.objects.create(run=run, year=2024, state="done")
    RollupRunItem.objects.create(run=run, year=2025, state="pending")

    with CaptureQueriesContext(connection) as pending:
        runs.run_finish_if_done(run_id=run.pk)
    RollupRunItem.objects.filter(year=2025).update(state="done")
    with CaptureQueriesContext(connection) as done:
        runs.run_finish_if_done(run_id=run.pk)
    with CaptureQueriesContext(connection) as again:
        runs.run_finish_if_done(run_id=run.pk)

    def analysed(queries):
        return [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]

    assert analysed(pending) == [] and analysed(again) == []
    (statement,) = analysed(done)
    assert "monitoring_rollup," in statement and "monitoring_clusterrollup" in statement


def test_the_list_of_runs_costs_the_same_queries_for_many_runs(
    api_client, thai, django_assert_max_num_queries
):
    from django.urls import reverse

    from monitoring.models import RollupRun, RollupRunItem

    for _ in range(20):
        run = RollupRun.objects.create(total=2)
        RollupRunItem.objects.create(run=run, year=2024, state="done")
        RollupRunItem.objects.create(run=run, year=2025, state="failed", error="boom")
    api_client.force_authenticate(thai.users["admin"])
    with django_assert_max_num_queries(6):
        body = api_client.get(reverse("api:rolluprun-list")).json()
    assert len(body["results"]) == 20
    assert {(r["done"], r["failed"], r["progress_percent"]) for r in body["results"]} == {
        (1, 1, "100.00")
    }
    assert body["results"][0]["errors"][0]["error"] == "boom"


# --- A run whose worker died: the sweep queues its years again -----------------------------


def stalled_run(*, ago_s: int, attempts: int = 1):
    """A run of one year whose worker began it `ago_s` seconds ago and then vanished."""
    from django.utils import timezone

    from monitoring.models import RollupRun, RollupRunItem

    then = timezone.now() - datetime.timedelta(seconds=ago_s)
    run = RollupRun.objects.create(total=1)
    item = RollupRunItem.objects.create(
        run=run, year=2025, queued_at=then, started_at=then, attempts=attempts
    )
    return run, item


def test_the_sweep_queues_again_a_year_whose_worker_died_and_the_run_ends(
    thai, settings, django_capture_on_commit_callbacks
):
    settings.ROLLUP_RUN_STALL_SECONDS = 60
    run, item = stalled_run(ago_s=61)

    with django_capture_on_commit_callbacks(execute=True):
        queued = runs.run_items_requeue_stalled()

    assert queued == 1
    item.refresh_from_db()
    run.refresh_from_db()
    assert (item.state, item.attempts, run.status) == ("done", 2, "done")
    assert Rollup.objects.filter(period__year=2025).exists()


def test_the_sweep_leaves_runs_alone_while_a_worker_makes_progress(
    thai, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from monitoring.models import RollupRunItem

    settings.ROLLUP_RUN_STALL_SECONDS = 60
    run, item = stalled_run(ago_s=61)
    RollupRunItem.objects.create(run=run, year=2024, state="done", finished_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert runs.run_items_requeue_stalled() == 0

    assert callbacks == []
    item.refresh_from_db()
    assert (item.state, item.attempts) == ("pending", 1)


def test_a_year_queued_again_once_too_often_fails_instead_of_running(
    thai, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.ROLLUP_RUN_STALL_SECONDS = 60
    run, item = stalled_run(ago_s=61, attempts=runs.MAX_ATTEMPTS)
    monkeypatch.setattr(runs, "recompute", pytest.fail)

    with django_capture_on_commit_callbacks(execute=True):
        runs.run_items_requeue_stalled()

    item.refresh_from_db()
    run.refresh_from_db()
    assert (item.state, run.status) == ("failed", "failed")


def test_a_second_copy_of_a_finished_year_costs_no_attempt(thai, monkeypatch):
    from monitoring.models import RollupRun, RollupRunItem

    run = RollupRun.objects.create(total=1)
    item = RollupRunItem.objects.create(run=run, year=2025, state="done", attempts=1)
    monkeypatch.setattr(runs, "recompute", pytest.fail)

    runs.run_item_execute(run_id=run.pk, year=2025)

    item.refresh_from_db()
    assert (item.state, item.attempts) == ("done", 1)
