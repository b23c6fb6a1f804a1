"""The numbers set beside the values: a cluster's baseline of a KPI, and targets at any level
(DESIGN.md rule 6)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Country, Region
from core.history.records import AuditTrail
from core.models import TimeStampedModel
from programs.models import Program
from scorecards.models.kpis import KPI
from scorecards.models.periods import Period
from scorecards.models.values import VALUE_DIGITS, ValueFields


class Baseline(ValueFields, TimeStampedModel):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="baselines", verbose_name=_("cluster")
    )
    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="baselines", verbose_name=_("KPI")
    )
    year = models.PositiveSmallIntegerField(_("baseline year"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)

    history = AuditTrail()

    class Meta:
        ordering = ["cluster", "kpi"]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "kpi"], name="baseline_one_per_cluster_kpi"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | ~Q(denominator=0),
                name="baseline_denominator_not_zero",
            ),
        ]

    def __str__(self):
        return f"{self.cluster} / {self.kpi.code}: {self.value}"


class Level(models.TextChoices):
    CLUSTER = "cluster", _("Cluster")
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    PROGRAM = "program", _("Program")
    GLOBAL = "global", _("All")


class Target(TimeStampedModel):
    """A KPI's target for a period at one level (a cluster, a country, a region, a program)."""

    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="targets", verbose_name=_("KPI")
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="targets", verbose_name=_("period")
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("cluster"),
        db_index=False,  # the index of a cluster's targets by period (Meta.indexes) serves it
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("country"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("region"),
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("program"),
    )
    value = models.DecimalField(_("target"), **VALUE_DIGITS)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )

    history = AuditTrail()

    class Meta:
        ordering = ["kpi", "period", "level"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        level="cluster",
                        cluster__isnull=False,
                        country__isnull=True,
                        region__isnull=True,
                        program__isnull=True,
                    )
                    | Q(
                        level="country",
                        cluster__isnull=True,
                        country__isnull=False,
                        region__isnull=True,
                        program__isnull=True,
                    )
                    | Q(
                        level="region",
                        cluster__isnull=True,
                        country__isnull=True,
                        region__isnull=False,
                        program__isnull=True,
                    )
                    | Q(
                        level="program",
                        cluster__isnull=True,
                        country__isnull=True,
                        region__isnull=True,
                        program__isnull=False,
                    )
                    | Q(
                        level="global",
                        cluster__isnull=True,
                        country__isnull=True,
                        region__isnull=True,
                        program__isnull=True,
                    )
                ),
                name="target_unit_matches_level",
                violation_error_message=_("Give exactly the unit that matches the level."),
            ),
            *[
                models.UniqueConstraint(
                    fields=["kpi", "period", field] if field else ["kpi", "period"],
                    condition=Q(level=level),
                    name=f"target_one_per_{level}",
                    violation_error_message=_(
                        "A target is already set for this KPI, period and unit."
                    ),
                )
                for level, field in [
                    ("cluster", "cluster"),
                    ("country", "country"),
                    ("region", "region"),
                    ("program", "program"),
                    ("global", None),
                ]
            ],
        ]
        # A cluster's targets of a period: the officer's clusters off track read thousands of
        # clusters' targets of their latest quarter (dashboards.roles.clusters_off_track).
        indexes = [models.Index(fields=["cluster", "period"], name="target_of_cluster_period")]

    def __str__(self):
        return f"{self.kpi.code} {self.period}: {self.value}"
