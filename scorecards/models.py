"""The plan: scorecard templates (perspectives > CSFs > KPIs), cluster scorecards and their
own KPIs; periods, baselines and targets are in scorecards.models_periods."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from core.models import TimeStampedModel

VALUE_DIGITS = {"max_digits": 20, "decimal_places": 4}


class KPI(TimeStampedModel):
    """A measure. Its definition (unit, aggregation...) never changes once values exist: a
    different definition is a different KPI with another code. A KPI with a cluster is that
    cluster's own (participatory) KPI; one without is a core KPI, and only core KPIs roll up."""

    class Unit(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percent")
        CURRENCY = "currency", _("Currency")
        NUMBER = "number", _("Number")
        SCORE = "score", _("Score")
        YES_NO = "yes_no", _("Yes / no")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum")
        MEAN = "mean", _("Mean of cluster values")
        RATIO = "ratio", _("Ratio of sums (numerator / denominator)")
        SHARE_YES = "share_yes", _("Share of clusters answering yes")
        MIN = "min", _("Minimum")
        MAX = "max", _("Maximum")

    class TimeAggregation(models.TextChoices):
        SUM = "sum", _("Sum (flows)")
        LAST = "last", _("Last (stocks and levels)")
        MEAN = "mean", _("Mean")

    class Frequency(models.TextChoices):
        QUARTERLY = "quarterly", _("Quarterly")
        ANNUAL = "annual", _("Annual")

    class ResultsLevel(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")
        IMPACT = "impact", _("Impact")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class LogSource(models.TextChoices):
        """Values derived from the activity log (monitoring.activity_kpis); blank: by hand."""

        TRAINING_PARTICIPANTS = "training_participants", _("People trained (women + men)")
        TRAINING_WOMEN = "training_women", _("Women trained")
        TRAINING_MEN = "training_men", _("Men trained")
        JOINT_ACTIONS = "joint_actions", _("Joint-action activities")
        FIRMS_COST_SHARE = "firms_cost_share", _("Share of activity cost paid by the firms")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217, for currency KPIs.")
    )
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    aggregation = models.CharField(
        _("aggregation across clusters"), max_length=10, choices=Aggregation.choices
    )
    time_aggregation = models.CharField(
        _("aggregation over time"), max_length=4, choices=TimeAggregation.choices
    )
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    results_level = models.CharField(
        _("results level"), max_length=10, choices=ResultsLevel.choices, default=ResultsLevel.OUTPUT
    )
    by_sex = models.BooleanField(
        _("split by sex"), default=False, help_text=_("Count KPIs only: women and men entered.")
    )
    scale = models.DecimalField(
        _("ratio scale"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("100"),
        help_text=_("Ratio KPIs: numerator / denominator x scale (100 for a percentage)."),
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_kpis",
        verbose_name=_("cluster (for a cluster's own KPI)"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACCEPTED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    log_source = models.CharField(
        _("derived from the activity log"),
        max_length=24,
        choices=LogSource.choices,
        blank=True,
        help_text=_("Leave blank for values entered by hand."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [
            models.CheckConstraint(
                condition=Q(by_sex=False) | Q(unit="count"),
                name="kpi_sex_split_only_for_counts",
                violation_error_message=_("Only count KPIs can be split by sex."),
            ),
            models.CheckConstraint(
                condition=~Q(aggregation="share_yes") | Q(unit="yes_no"),
                name="kpi_share_yes_only_for_yes_no",
                violation_error_message=_("Only yes/no KPIs aggregate as a share of yes."),
            ),
            models.CheckConstraint(
                condition=~Q(unit="yes_no") | Q(aggregation="share_yes"),
                name="kpi_yes_no_aggregates_as_share_yes",
                violation_error_message=_("Yes/no KPIs aggregate as the share answering yes."),
            ),
            models.CheckConstraint(
                condition=~Q(unit="yes_no") | Q(time_aggregation="last"),
                name="kpi_yes_no_over_time_is_last",
                violation_error_message=_("A yes/no answer over a year is its latest answer."),
            ),
            models.CheckConstraint(
                condition=Q(cluster__isnull=False) | Q(status="accepted"),
                name="kpi_core_kpis_are_accepted",
            ),
            models.CheckConstraint(condition=Q(scale__gt=0), name="kpi_scale_positive"),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == self.Aggregation.RATIO

    @property
    def is_core(self) -> bool:
        return self.cluster_id is None


class TemplateQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Template.Status.PUBLISHED)


class Template(TimeStampedModel):
    """One version of a scorecard template. A published version is frozen: it is changed by
    publishing a new version (same code, next number), never edited in place."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    green_threshold = models.DecimalField(
        _("green threshold"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(0), MaxValueValidator(2)],
        help_text=_("Achievement at or above this is green (1 = 100%)."),
    )
    amber_threshold = models.DecimalField(
        _("amber threshold"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.75"),
        validators=[MinValueValidator(0), MaxValueValidator(2)],
        help_text=_("Achievement at or above this (and below green) is amber."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("scorecard template")
        verbose_name_plural = _("scorecard templates")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="template_code_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(amber_threshold__lte=models.F("green_threshold")),
                name="template_amber_below_green",
                violation_error_message=_("The amber threshold cannot be above the green one."),
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class Perspective(models.Model):
    template = models.ForeignKey(
        Template, on_delete=models.CASCADE, related_name="perspectives", verbose_name=_("template")
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")

    def __str__(self):
        return self.name


class CSF(models.Model):
    """A critical success factor of a perspective."""

    perspective = models.ForeignKey(
        Perspective, on_delete=models.CASCADE, related_name="csfs", verbose_name=_("perspective")
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["perspective", "order", "id"]
        verbose_name = _("critical success factor")
        verbose_name_plural = _("critical success factors")

    def __str__(self):
        return self.name


class TemplateKPI(models.Model):
    """A KPI's place under a CSF of a template version."""

    csf = models.ForeignKey(
        CSF, on_delete=models.CASCADE, related_name="kpis", verbose_name=_("CSF")
    )
    kpi = models.ForeignKey(
        KPI, on_delete=models.PROTECT, related_name="placements", verbose_name=_("KPI")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["csf", "order", "id"]
        verbose_name = _("KPI in a template")
        verbose_name_plural = _("KPIs in a template")
        constraints = [
            models.UniqueConstraint(fields=["csf", "kpi"], name="template_kpi_once_per_csf"),
            models.CheckConstraint(
                condition=Q(weight__gte=0), name="template_kpi_weight_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.csf}: {self.kpi}"


class ClusterScorecardQuerySet(models.QuerySet):
    def current(self):
        return self.filter(until__isnull=True)


class ClusterScorecard(TimeStampedModel):
    """A cluster's adoption of a template version, plus its own accepted KPIs."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="scorecards", verbose_name=_("cluster")
    )
    template = models.ForeignKey(
        Template, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("template")
    )
    adopted_on = models.DateField(_("adopted on"))
    until = models.DateField(_("until"), null=True, blank=True)

    objects = ClusterScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["cluster", "-adopted_on"]
        verbose_name = _("cluster scorecard")
        verbose_name_plural = _("cluster scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(until__isnull=True),
                name="cluster_one_current_scorecard",
                violation_error_message=_("This cluster already has a current scorecard."),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("adopted_on")),
                name="cluster_scorecard_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.cluster} — {self.template}"

    def clean(self):
        if self.template_id and self.template.status != Template.Status.PUBLISHED and not self.pk:
            raise ValidationError({"template": _("Only a published template can be adopted.")})


class OwnKPI(models.Model):
    """A cluster's own KPI placed under one of its template's CSFs."""

    scorecard = models.ForeignKey(
        ClusterScorecard,
        on_delete=models.CASCADE,
        related_name="own_kpis",
        verbose_name=_("scorecard"),
    )
    csf = models.ForeignKey(CSF, on_delete=models.PROTECT, related_name="+", verbose_name=_("CSF"))
    kpi = models.OneToOneField(
        KPI, on_delete=models.CASCADE, related_name="own_placement", verbose_name=_("KPI")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["scorecard", "csf", "order", "id"]
        verbose_name = _("cluster's own KPI")
        verbose_name_plural = _("cluster's own KPIs")

    def __str__(self):
        return str(self.kpi)

    def clean(self):
        errors = {}
        if self.kpi_id and self.scorecard_id and self.kpi.cluster_id != self.scorecard.cluster_id:
            errors["kpi"] = _("The KPI must belong to the scorecard's cluster.")
        if (
            self.csf_id
            and self.scorecard_id
            and self.csf.perspective.template_id != self.scorecard.template_id
        ):
            errors["csf"] = _("The CSF must belong to the scorecard's template.")
        if errors:
            raise ValidationError(errors)


# Periods, baselines and targets live in their own module; imported here so Django finds
# their models and the rest of the project imports every scorecards model from one place.
from scorecards.models_periods import (  # noqa: E402, F401
    Baseline,
    Level,
    Period,
    PeriodQuerySet,
    Target,
    ValueFields,
)
