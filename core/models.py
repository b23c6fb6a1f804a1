"""Abstract base models shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds created / updated timestamps."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class RollupStale(models.Model):
    """Something the rollups depend on changed: recompute (kpi, period).

    Written in the same transaction as the change, by whichever app made it; plain ids, not
    foreign keys, so that every app (core sits leftmost) can write one. A null KPI means every
    KPI, a null period every period. A cluster says that only that cluster's values changed
    (not where it belongs): the engine then recomputes only the totals' partial sums of the
    cluster's group. The rollup engine (monitoring) takes and deletes them.
    """

    kpi_id = models.BigIntegerField(null=True, blank=True)
    period_id = models.BigIntegerField(null=True, blank=True)
    cluster_id = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stale rollup marker")
        verbose_name_plural = _("stale rollup markers")
        indexes = [models.Index(fields=["kpi_id", "period_id"])]

    def __str__(self):
        return f"stale kpi={self.kpi_id or '*'} period={self.period_id or '*'} ({self.reason})"
