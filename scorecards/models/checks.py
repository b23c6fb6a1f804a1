"""Data-quality rules of a KPI: what a value entered for it should look like (DESIGN.md "Checks
at entry"). A value that breaks one is flagged (monitoring), never refused."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.history.records import AuditTrail
from core.models import TimeStampedModel
from scorecards.models.kpis import KPI
from scorecards.models.values import VALUE_DIGITS

DEFAULT_OUTLIER_THRESHOLD = Decimal("3.5")
# A peer test needs this many alike clusters' values beside the one tested.
MIN_PEERS = 5


class KPIChecks(TimeStampedModel):
    """The rules of one KPI. A KPI without a row has the defaults (`KPIChecks(kpi=kpi)`):
    only the splits (sex, and any other) must add up to the total."""

    class ChangeKind(models.TextChoices):
        PERCENT = "percent", _("Percent")
        ABSOLUTE = "absolute", _("Absolute")

    kpi = models.OneToOneField(
        KPI, on_delete=models.CASCADE, related_name="checks", verbose_name=_("KPI")
    )
    minimum = models.DecimalField(
        _("minimum"),
        null=True,
        blank=True,
        help_text=_("A value below it is flagged (ratio KPIs: the ratio x scale)."),
        **VALUE_DIGITS,
    )
    maximum = models.DecimalField(
        _("maximum"),
        null=True,
        blank=True,
        help_text=_("A value above it is flagged (ratio KPIs: the ratio x scale)."),
        **VALUE_DIGITS,
    )
    max_change = models.DecimalField(
        _("largest change"),
        null=True,
        blank=True,
        help_text=_(
            "A change larger than this against the cluster's previous approved value is "
            "flagged; leave blank for no limit."
        ),
        **VALUE_DIGITS,
    )
    max_change_kind = models.CharField(
        _("largest change in"),
        max_length=8,
        choices=ChangeKind.choices,
        default=ChangeKind.PERCENT,
    )
    numerator_within_denominator = models.BooleanField(
        _("numerator not above the denominator"),
        default=False,
        help_text=_("Ratio KPIs: flag a numerator larger than its denominator."),
    )
    split_adds_up = models.BooleanField(
        _("parts make the total"),
        default=True,
        help_text=_(
            "Split KPIs: flag women and men, or the parts of any other split (age groups, firm "
            "sizes, ownership), that do not add up to the total."
        ),
    )
    peer_outliers = models.BooleanField(
        _("compare with alike clusters"),
        default=False,
        help_text=_(
            "Flag a value far from those of clusters of the same sector family and life-cycle "
            "stage in the same period (robust z-score; only when at least 5 of them reported)."
        ),
    )
    outlier_threshold = models.DecimalField(
        _("outlier threshold"),
        max_digits=5,
        decimal_places=2,
        default=DEFAULT_OUTLIER_THRESHOLD,
        help_text=_("|value - median| / (1.4826 x MAD) above this is flagged; 3.5 is usual."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    history = AuditTrail()

    class Meta:
        verbose_name = _("KPI data-quality rules")
        verbose_name_plural = _("KPI data-quality rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__isnull=True)
                | Q(maximum__isnull=True)
                | Q(minimum__lte=F("maximum")),
                name="kpichecks_minimum_not_above_maximum",
                violation_error_message=_("The minimum cannot be above the maximum."),
            ),
            models.CheckConstraint(
                condition=Q(max_change__isnull=True) | Q(max_change__gt=0),
                name="kpichecks_max_change_positive",
                violation_error_message=_("The largest change must be greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(outlier_threshold__gt=0),
                name="kpichecks_outlier_threshold_positive",
                violation_error_message=_("The outlier threshold must be greater than zero."),
            ),
        ]

    def __str__(self):
        return f"checks of {self.kpi_id}"


def checks_of(kpi: KPI) -> KPIChecks:
    """The KPI's rules, or the defaults when none were set (no query if `checks` was joined)."""
    try:
        return kpi.checks
    except KPIChecks.DoesNotExist:
        return KPIChecks(kpi=kpi)
