"""Reporting periods (quarters and years), and the numbers set for them beside the values:
a cluster's baseline of a KPI, and targets at any level (DESIGN.md rule 6)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Country, Region
from core.models import TimeStampedModel
from programs.models import Program
from scorecards.models import KPI, VALUE_DIGITS


class PeriodQuerySet(models.QuerySet):
    def quarters(self):
        return self.filter(kind=Period.Kind.QUARTER)

    def years(self):
        return self.filter(kind=Period.Kind.YEAR)


class Period(models.Model):
    """A reporting period: a calendar quarter (quarter 1-4) or a whole year (quarter 0)."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quarter"),
        default=0,
        validators=[MaxValueValidator(4)],
        help_text=_("0 for a whole year."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    deadline = models.DateField(_("reporting deadline"))

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["year", "quarter"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="period_unique_year_quarter"),
            models.CheckConstraint(
                condition=(Q(kind="year") & Q(quarter=0))
                | (Q(kind="quarter") & Q(quarter__gte=1) & Q(quarter__lte=4)),
                name="period_kind_matches_quarter",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on"))
                & Q(deadline__gte=models.F("ends_on")),
                name="period_dates_in_order",
                violation_error_message=_("Dates must run start, end, deadline."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}" if self.kind == self.Kind.QUARTER else str(self.year)

    @property
    def is_quarter(self) -> bool:
        return self.kind == self.Kind.QUARTER

    def previous_quarter_key(self) -> tuple[int, int]:
        return (self.year, self.quarter - 1) if self.quarter > 1 else (self.year - 1, 4)

    @staticmethod
    def bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
        if quarter == 0:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        start = datetime.date(year, 3 * quarter - 2, 1)
        end_month_next = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
        return start, end_month_next - datetime.timedelta(days=1)


class ValueFields(models.Model):
    """A KPI value as entered: a value, or a numerator and denominator for ratio KPIs."""

    value = models.DecimalField(_("value"), null=True, blank=True, **VALUE_DIGITS)
    numerator = models.DecimalField(_("numerator"), null=True, blank=True, **VALUE_DIGITS)
    denominator = models.DecimalField(_("denominator"), null=True, blank=True, **VALUE_DIGITS)

    class Meta:
        abstract = True


class Baseline(ValueFields, TimeStampedModel):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="baselines", verbose_name=_("cluster")
    )
    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="baselines", verbose_name=_("KPI")
    )
    year = models.PositiveSmallIntegerField(_("baseline year"))
    note = models.CharField(_("source or note"), max_length=300, blank=True)

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
        Cluster, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    value = models.DecimalField(_("target"), **VALUE_DIGITS)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

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

    def __str__(self):
        return f"{self.kpi.code} {self.period}: {self.value}"
