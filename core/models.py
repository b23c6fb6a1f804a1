"""Abstract base models shared by every app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds created / updated timestamps."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class StoredUpload(models.Model):
    """What is kept of an uploaded file beside it (core.uploads checks it): its type, the name it
    had, its size, who uploaded it and when. Each subclass adds its `file` field (its own
    folder) and the object it documents; the file is served only through a view that checks
    the scope."""

    extension = models.CharField(_("type"), max_length=5)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


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
