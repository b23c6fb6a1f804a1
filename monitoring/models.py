"""The actuals: periodic reports (cluster x period), their KPI values, and their review trail."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clusters.models import Cluster
from core.models import TimeStampedModel
from scorecards.models import KPI, VALUE_DIGITS, ClusterScorecard, Level, Period, ValueFields


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

    history = HistoricalRecords()

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
            models.CheckConstraint(
                condition=Q(value_women__isnull=True)
                | Q(value_men__isnull=True)
                | Q(value=F("value_women") + F("value_men")),
                name="measurement_sex_split_adds_up",
            ),
        ]

    def __str__(self):
        return f"{self.report} / {self.kpi.code}"


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


# A total adds up thousands of values, each up to monitoring.values.MAX_MAGNITUDE (10^12), and
# a ratio divides by denominators down to 0.0001: 26 digits before the point hold any of them.
TOTAL_DIGITS = {"max_digits": 30, "decimal_places": 4}


class Rollup(models.Model):
    """A core KPI's value for one period at one level and unit (a cluster, a country, a region,
    a program, or everything), recomputed from approved source values by the rollup engine.

    `unit_id` is the id of the cluster, country, region or program (0 for the global level).
    Achievement and status are not stored: they are computed from value, target and baseline
    by scorecards.scoring when read, so that rule lives in one place.
    """

    # Derived rows, rewritten by the thousand on every recompute: no foreign key constraints
    # in the database (checking each row's KPI and period at commit cost more than writing
    # it); deleting a KPI or a period still deletes its rows (Django's cascade). No index of
    # the KPI of its own either: the unique constraint's index starts with it.
    kpi = models.ForeignKey(
        KPI,
        on_delete=models.CASCADE,
        related_name="rollups",
        db_constraint=False,
        db_index=False,
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="rollups", db_constraint=False
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    unit_id = models.BigIntegerField(_("unit"))
    value = models.DecimalField(_("value"), null=True, **TOTAL_DIGITS)
    numerator = models.DecimalField(_("numerator"), null=True, **TOTAL_DIGITS)
    denominator = models.DecimalField(_("denominator"), null=True, **TOTAL_DIGITS)
    value_women = models.DecimalField(_("women"), null=True, **TOTAL_DIGITS)
    value_men = models.DecimalField(_("men"), null=True, **TOTAL_DIGITS)
    target = models.DecimalField(_("target"), null=True, **TOTAL_DIGITS)
    target_derived = models.BooleanField(_("target derived"), default=False)
    baseline = models.DecimalField(_("baseline"), null=True, **VALUE_DIGITS)
    clusters_reporting = models.PositiveIntegerField(_("clusters reporting"))
    clusters_complete = models.PositiveIntegerField(_("clusters with a complete year"), null=True)
    clusters_expected = models.PositiveIntegerField(_("clusters expected"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period", "level", "unit_id"], name="rollup_one_per_unit"
            ),
        ]
        indexes = [
            models.Index(fields=["level", "unit_id", "period"]),
            models.Index(fields=["computed_at"], name="rollup_computed_at"),  # the oldest
        ]

    def __str__(self):
        return f"{self.kpi_id} {self.period_id} {self.level}:{self.unit_id} = {self.value}"


# Partial sums keep 20 decimals: a mean's year value (10 / 3) enters them unrounded, as it
# would in one statement; only the totals are rounded to VALUE_DIGITS.
PARTIAL_DIGITS = {"max_digits": 40, "decimal_places": 20}


class RollupPartial(models.Model):
    """The partial sums of one group of alike clusters, for one core KPI and period: what the
    stored totals are added up from (monitoring.rollup_sql).

    A group's clusters share their country, status, programs and scorecards in the period, so
    the group belongs to the same units as its `leader` (its lowest cluster id). When one
    cluster's values change, only its group is summed again and the totals re-added from about
    a hundred groups; a change of where clusters belong recomputes the whole period. Plain ids:
    rows the engine alone writes and deletes, never read row by row.
    """

    kpi_id = models.BigIntegerField()
    period_id = models.BigIntegerField()
    leader_id = models.BigIntegerField()
    reporting = models.PositiveIntegerField()  # clusters with a value
    expected = models.PositiveIntegerField()  # the coverage base (rule 4)
    complete = models.PositiveIntegerField()  # clusters with four approved quarters
    value_sum = models.DecimalField(null=True, **PARTIAL_DIGITS)
    value_count = models.PositiveIntegerField()
    value_min = models.DecimalField(null=True, **PARTIAL_DIGITS)
    value_max = models.DecimalField(null=True, **PARTIAL_DIGITS)
    numerator_sum = models.DecimalField(null=True, **PARTIAL_DIGITS)
    denominator_sum = models.DecimalField(null=True, **PARTIAL_DIGITS)
    women_sum = models.DecimalField(null=True, **PARTIAL_DIGITS)
    men_sum = models.DecimalField(null=True, **PARTIAL_DIGITS)
    yes = models.PositiveIntegerField()
    derived_target = models.DecimalField(null=True, **PARTIAL_DIGITS)  # its clusters' targets

    class Meta:
        verbose_name = _("rollup partial sum")
        verbose_name_plural = _("rollup partial sums")
        indexes = [models.Index(fields=["period_id", "leader_id"], name="rollup_partial_group")]

    def __str__(self):
        return f"{self.kpi_id} {self.period_id} group of {self.leader_id}"


class RollupPartialsBuilt(models.Model):
    """A period whose partial sums were last built whole, for every core KPI: only then may a
    change of one cluster's values recompute its group alone (otherwise, the whole period)."""

    period_id = models.BigIntegerField(unique=True)

    class Meta:
        verbose_name = _("period with rollup partial sums")
        verbose_name_plural = _("periods with rollup partial sums")

    def __str__(self):
        return str(self.period_id)


class RollupRun(models.Model):
    """A full recompute: one task per core KPI, and its progress."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Finished with errors")

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total = models.PositiveIntegerField(_("tasks"), default=0)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("rollup run")
        verbose_name_plural = _("rollup runs")

    def __str__(self):
        return f"run {self.pk} ({self.status})"


class RollupRunItem(models.Model):
    """One year's task in a full recompute. Its state, not a counter, makes the progress, so a
    task delivered twice (Celery is at-least-once) is counted once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(RollupRun, on_delete=models.CASCADE, related_name="items")
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(max_length=7, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "year"], name="rollup_run_item_once"),
        ]

    def __str__(self):
        return f"run {self.run_id} year {self.year}: {self.state}"


# The activity log lives in its own module; imported here so Django finds its models.
from monitoring.models_activities import Activity, ActivityAttachment  # noqa: E402, F401
