"""KPIs: what a scorecard measures, and how its values add up across clusters and over time."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from core.models import TimeStampedModel
from scorecards.models.splits import KPI_FLAG

MAX_DECIMAL_PLACES = 4  # values are kept to 4 places (monitoring.values)


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
        """Values derived from the activity log or the collaboration network
        (monitoring.reports.derived); blank: by hand."""

        TRAINING_PARTICIPANTS = "training_participants", _("People trained (women + men)")
        TRAINING_WOMEN = "training_women", _("Women trained")
        TRAINING_MEN = "training_men", _("Men trained")
        JOINT_ACTIONS = "joint_actions", _("Joint-action activities")
        FIRMS_COST_SHARE = "firms_cost_share", _("Share of activity cost paid by the firms")
        # From the collaboration network of the period (monitoring.networks).
        NETWORK_FIRMS_TIED = (
            "network_firms_tied",
            _("Share of member firms cooperating with at least one other (network)"),
        )
        NETWORK_DENSITY = "network_density", _("Density of the collaboration network")
        # From a survey question (survey_question): the share answering yes, or the mean.
        SURVEY = "survey", _("A survey question (the share answering yes, or the mean answer)")

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
    # (db_default: rows inserted by raw SQL, as the benchmark's world does, need no value)
    by_age = models.BooleanField(
        _("split by age group"),
        default=False,
        db_default=False,
        help_text=_("Count KPIs only: a part for each age group in use."),
    )
    by_firm_size = models.BooleanField(
        _("split by firm size"),
        default=False,
        db_default=False,
        help_text=_("Count KPIs only: micro, small, medium and large firms."),
    )
    by_ownership = models.BooleanField(
        _("split by firm ownership"),
        default=False,
        db_default=False,
        help_text=_("Count KPIs only: women-led firms and the others."),
    )
    scale = models.DecimalField(
        _("ratio scale"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("100"),
        help_text=_("Ratio KPIs: numerator / denominator x scale (100 for a percentage)."),
    )
    decimal_places = models.PositiveSmallIntegerField(
        _("decimal places"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_DECIMAL_PLACES)],
        help_text=_(
            "How many decimal places its numbers are shown with, on pages and in downloads "
            "(at most 4, as values are kept). Blank: 1 for percentages and shares of yes, 2 "
            "for other numbers."
        ),
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
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted or rejected by"),
    )
    decided_at = models.DateTimeField(_("accepted or rejected at"), null=True, blank=True)
    decision_reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Why a proposed own KPI was accepted or rejected; the cluster sees it."),
    )
    log_source = models.CharField(
        _("derived from the activity log"),
        max_length=24,
        choices=LogSource.choices,
        blank=True,
        help_text=_("Leave blank for values entered by hand."),
    )

    survey_question = models.ForeignKey(
        "surveys.Question",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("survey question"),
        help_text=_(
            "For values derived from a survey: a yes/no question gives the share answering yes, "
            "a rating or number the mean answer."
        ),
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
                condition=Q(by_age=False, by_firm_size=False, by_ownership=False) | Q(unit="count"),
                name="kpi_splits_only_for_counts",
                violation_error_message=_("Only count KPIs can be split into parts."),
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
            models.CheckConstraint(
                condition=Q(decimal_places__lte=MAX_DECIMAL_PLACES),
                name="kpi_decimal_places_as_kept",
                violation_error_message=_("Values are kept to 4 decimal places: at most 4."),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def places(self) -> int:
        """The decimal places its numbers are shown with (scorecards.numbers)."""
        if self.decimal_places is not None:
            return self.decimal_places
        return 1 if self.unit in {self.Unit.PERCENT, self.Unit.YES_NO} else 2

    @property
    def split_dimensions(self) -> list[str]:
        """The dimensions its values are split by (scorecards.models.splits), sex first."""
        return [dimension for dimension, flag in KPI_FLAG.items() if getattr(self, flag)]

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == self.Aggregation.RATIO

    @property
    def is_core(self) -> bool:
        return self.cluster_id is None
