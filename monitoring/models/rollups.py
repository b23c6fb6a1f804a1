"""Rolled-up values and the engine's bookkeeping: totals per level and unit, the partial sums of
groups of alike clusters, and full recompute runs with their items."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scorecards.models import KPI, VALUE_DIGITS, Dimension, Level, Period

# A total adds up thousands of values, each up to monitoring.values.MAX_MAGNITUDE (10^12), and
# a ratio divides by denominators down to 0.0001: 26 digits before the point hold any of them.
TOTAL_DIGITS = {"max_digits": 30, "decimal_places": 4}


class RollupNumbers(models.Model):
    """What a rollup row holds, at any level: the value and its parts, the target and baseline,
    the coverage, and when it was computed."""

    # Derived rows, rewritten by the thousand on every recompute: no foreign key constraints
    # in the database (checking each row's KPI and period at commit cost more than writing
    # it); deleting a KPI or a period still deletes its rows (Django's cascade). No index of
    # the KPI of its own either: the unique constraint's index starts with it.
    kpi = models.ForeignKey(
        KPI,
        on_delete=models.CASCADE,
        related_name="%(class)ss",  # KPI.rollups, KPI.clusterrollups
        db_constraint=False,
        db_index=False,
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="%(class)ss", db_constraint=False
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
        abstract = True

    def __str__(self):
        return f"{self.kpi_id} {self.period_id} {self.level}:{self.unit_id} = {self.value}"


class Rollup(RollupNumbers):
    """A core KPI's value for one period at one level and unit (a cluster, a country, a region,
    a program, or everything), recomputed from approved source values by the rollup engine.

    `unit_id` is the id of the cluster, country, region or program (0 for the global level).
    Achievement and status are not stored: they are computed from value, target and baseline
    by scorecards.scoring when read, so that rule lives in one place. Stored here: the totals
    (every level but the cluster's); cluster rows are ClusterRollup's.
    """

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


class ClusterRollup(RollupNumbers):
    """A cluster's row (level "cluster", `unit_id` the cluster), prepared by the rollup engine
    with the same statement and in the same transaction as the totals above it, so that pages
    comparing many clusters (benchmarking, rankings, maps) read rows instead of computing them.
    Readers get them as unsaved Rollup objects (monitoring.rollups.engine.cluster_rows)."""

    class Meta:
        verbose_name = _("cluster rollup")
        verbose_name_plural = _("cluster rollups")
        constraints = [
            # On PostgreSQL its index also carries the value (migration 0024), so that
            # benchmarking reads a KPI's rows of a period from the index alone.
            models.UniqueConstraint(
                fields=["kpi", "period", "unit_id"], name="cluster_rollup_one_per_cluster"
            ),
        ]
        indexes = [models.Index(fields=["unit_id", "period"], name="cluster_rollup_of_cluster")]


class RollupSplit(models.Model):
    """One category of a split KPI beside a rollup row (same KPI, period, level and unit): the
    parts its reporting clusters gave, added up as women and men are (time first, then a sum
    over the clusters), and how many clusters gave them (monitoring.rollups.splits).

    `clusters` gave a value for this category; `clusters_split` gave the dimension (any of its
    categories): over the rollup row's `clusters_reporting`, that is the split's completeness.
    Sex is here too (from value_women and value_men), so that every dimension says its
    completeness the same way.
    """

    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    unit_id = models.BigIntegerField(_("unit"))
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    category = models.CharField(_("category"), max_length=20)
    value = models.DecimalField(_("value"), null=True, **TOTAL_DIGITS)
    clusters = models.PositiveIntegerField(_("clusters that gave the category"))
    clusters_split = models.PositiveIntegerField(_("clusters that gave the split"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("rollup of a split")
        verbose_name_plural = _("rollups of splits")
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "period", "level", "unit_id", "dimension", "category"],
                name="rollup_split_one_per_category",
            ),
        ]
        indexes = [models.Index(fields=["level", "unit_id", "period"])]

    def __str__(self):
        return f"{self.kpi_id} {self.period_id} {self.level}:{self.unit_id} {self.category}"


# Partial sums keep 20 decimals: a mean's year value (10 / 3) enters them unrounded, as it
# would in one statement; only the totals are rounded to VALUE_DIGITS.
PARTIAL_DIGITS = {"max_digits": 40, "decimal_places": 20}


class RollupPartial(models.Model):
    """The partial sums of one group of alike clusters, for one core KPI and period: what the
    stored totals are added up from (monitoring.rollups.sql.statement).

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


class RollupSplitPartial(models.Model):
    """One category of a split KPI given by one group of alike clusters (RollupPartial's
    groups), for one period: the parts added up, the clusters that gave the category, and
    those that gave its dimension. The split rows (RollupSplit) are added up from these, so
    that an approval sums its cluster's group again and not every part of the period."""

    kpi_id = models.BigIntegerField()
    period_id = models.BigIntegerField()
    leader_id = models.BigIntegerField()
    dimension = models.CharField(max_length=10)
    category = models.CharField(max_length=20)
    value_sum = models.DecimalField(null=True, **PARTIAL_DIGITS)
    clusters = models.PositiveIntegerField()  # gave the category
    clusters_split = models.PositiveIntegerField()  # gave the dimension (any category)

    class Meta:
        verbose_name = _("rollup partial sum of a split")
        verbose_name_plural = _("rollup partial sums of splits")
        indexes = [
            models.Index(fields=["period_id", "leader_id"], name="rollup_split_partial_group")
        ]

    def __str__(self):
        return f"{self.kpi_id} {self.period_id} group of {self.leader_id} {self.category}"


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
    # When its message was last sent and when a worker last began it: the sweep queues again
    # an item whose worker died (monitoring.rollups.runs.run_items_requeue_stalled).
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "year"], name="rollup_run_item_once"),
        ]

    def __str__(self):
        return f"run {self.run_id} year {self.year}: {self.state}"
