"""Mark rollups stale: the one call every app makes when it changes what rollups depend on."""

from collections.abc import Iterable

from core.models import RollupStale


def mark_stale(
    *,
    kpi_ids: Iterable[int] | None = None,
    period_ids: Iterable[int] | None = None,
    cluster_id: int | None = None,
    pairs: Iterable[tuple[int, int]] | None = None,
    reason: str,
) -> None:
    """Record that (kpi, period) pairs need a recompute; None means all KPIs or all periods.
    `pairs` names the pairs one by one instead (a grid of targets changed here and there).

    `cluster_id`: only that cluster's approved values changed, not where it belongs (its
    country, status, programs or scorecards): the engine may then recompute its group alone.

    Call it inside the transaction that makes the change, so that the marker exists exactly
    when the change does; the rollup task is queued on commit and a sweep catches the rest.
    """
    if pairs is not None:  # exactly these (kpi, period) pairs, not every combination
        wanted = sorted(set(pairs))
    else:
        kpis = [None] if kpi_ids is None else sorted(set(kpi_ids))
        periods = [None] if period_ids is None else sorted(set(period_ids))
        wanted = [(k, p) for k in kpis for p in periods]
    RollupStale.objects.bulk_create(
        RollupStale(kpi_id=k, period_id=p, cluster_id=cluster_id, reason=reason[:100])
        for k, p in wanted
    )
    _queue_processing()


def _queue_processing() -> None:
    """Ask a worker to process the markers once the transaction commits (never before)."""
    from django.db import transaction

    def send():
        from celery import current_app

        # Looked up by name (core may not import monitoring); .delay() honours eager mode.
        current_app.tasks["monitoring.tasks.process_stale_rollups"].delay()

    # robust: the change is committed already; a broker that is down must not turn it into
    # an error page (the marker stays, and the per-minute sweep picks it up)
    transaction.on_commit(send, robust=True)
