"""The actuals: periodic reports (cluster x period), their KPI values, and their review trail."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from core.history.records import AuditTrail
from core.models import TimeStampedModel
from scorecards.models import (
    KPI,
    VALUE_DIGITS,
    ClusterScorecard,
    Dimension,
    Period,
    ValueFields,
)


class ReportQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=Report.State.APPROVED)

    def awaiting_review(self):
        return self.filter(state=Report.State.SUBMITTED)


class Report(TimeStampedModel):
    """One cluster's values for one period, measured with the scorecard it had then."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="reports", verbose_name=_("cluster")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period")
    )
    scorecard = models.ForeignKey(
        ClusterScorecard,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("scorecard"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-period__ends_on", "period__quarter", "cluster__name"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "period"], name="report_one_per_cluster_period"
            ),
        ]

    def __str__(self):
        return f"{self.cluster} — {self.period}"

    def get_absolute_url(self):
        return reverse("report-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class ReportTransition(models.Model):
    """Who moved a report from one state to another, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submit")
        APPROVE = "approve", _("Approve")
        RETURN = "return", _("Return")
        REOPEN = "reopen", _("Reopen")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("report")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=10, choices=Report.State.choices)
    to_state = models.CharField(_("to"), max_length=10, choices=Report.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "at", "id"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self):
        return f"{self.report}: {self.from_state} → {self.to_state}"


class Measurement(ValueFields):
    """A KPI value in a report. `revision` grows with every save, so that a save based on an
    older revision is refused instead of silently overwriting someone else's change."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("report")
    )
    kpi = models.ForeignKey(
        KPI, on_delete=models.PROTECT, related_name="measurements", verbose_name=_("KPI")
    )
    value_women = models.DecimalField(_("women"), null=True, blank=True, **VALUE_DIGITS)
    value_men = models.DecimalField(_("men"), null=True, blank=True, **VALUE_DIGITS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = AuditTrail()

    class Meta:
        ordering = ["report", "kpi"]
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kpi"], name="measurement_one_per_report_kpi"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="measurement_denominator_positive",
            ),
        ]

    def __str__(self):
        return f"{self.report} / {self.kpi.code}"

    @property
    def parts(self) -> dict[str, dict]:
        """Its parts other than sex, {dimension: {category: value}} (from `splits`, prefetched
        or not; services set them on values they have just saved)."""
        if getattr(self, "_parts", None) is None:
            found: dict[str, dict] = {}
            for split in self.splits.all():
                found.setdefault(split.dimension, {})[split.category] = split.value
            self._parts = found
        return self._parts

    @parts.setter
    def parts(self, value: dict[str, dict]) -> None:
        self._parts = value


class MeasurementSplit(models.Model):
    """One part of a KPI value: its share in one category of a dimension (youth, micro firms,
    women-led firms...). The parts of a dimension should add up to the value (a flag when they
    do not, monitoring.reports.checks). Sex keeps its own columns on the value (value_women,
    value_men), as before; every other dimension is a row here (docs/architecture.md,
    "Disaggregation")."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="splits", verbose_name=_("KPI value")
    )
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    category = models.SlugField(_("category"), max_length=20)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)

    history = AuditTrail()

    class Meta:
        ordering = ["measurement", "dimension", "category"]
        verbose_name = _("part of a KPI value")
        verbose_name_plural = _("parts of KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "dimension", "category"], name="split_one_per_category"
            ),
            models.CheckConstraint(
                condition=~Q(dimension="sex"), name="split_sex_on_the_value_itself"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="split_not_negative"),
        ]

    def __str__(self):
        return f"{self.measurement_id} {self.dimension}:{self.category} = {self.value}"


class ReminderSent(models.Model):
    """One reminder about one cluster's report for one period to one person on one day."""

    class Kind(models.TextChoices):
        DUE = "due", _("Report due")
        REVIEW = "review", _("Report waiting for review")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "cluster", "period", "kind", "sent_on"],
                name="reminder_once_per_report_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient_id} on {self.sent_on}"
