"""Competitiveness plans: a cluster's plan in versions (diagnostic and its studies, SWOT,
benchmark, actions with their budget by funding source and the KPIs each should move), the
steering committee's approval that freezes a version, and the activities of the log done for
each action.

The actuals know nothing of plans: an activity is linked to an action from here
(ActionActivity). Every write goes through plans.services, where the rules are.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Decision
from core.currencies import validate_currency
from core.models import StoredUpload, TimeStampedModel
from monitoring.models.activities import Activity
from scorecards.models import KPI

# Who pays, as the activity log says it: (source, the action's budget field, the activity's
# cost field). The budget of an action and the cost of its activities read side by side.
FUNDING_SOURCES = (
    ("program", "budget_program", "cost_program"),
    ("firms", "budget_firms", "cost_firms"),
    ("public", "budget_public", "cost_public"),
    ("credit", "budget_credit", "cost_credit"),
)
BUDGET_FIELDS = tuple(budget for _source, budget, _cost in FUNDING_SOURCES)
MONEY = {
    "max_digits": 14,
    "decimal_places": 2,
    "default": Decimal(0),
    "validators": [MinValueValidator(Decimal(0))],
}


class BenchmarkGroup(models.TextChoices):
    """The peer groups of the benchmarking page (monitoring.rollups.benchmark.GROUPINGS)."""

    SECTOR = "sector", _("Sector family")
    STAGE = "stage", _("Life-cycle stage")
    COUNTRY = "country", _("Country")


class Plan(TimeStampedModel):
    """One version of a cluster's competitiveness plan. A draft is edited; the steering
    committee's decision approves it and freezes it; a revision copies it into the next
    version, a draft again."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="plans", verbose_name=_("cluster")
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision",
        editable=False,
        verbose_name=_("revises"),
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("plan starts"))
    period_end = models.DateField(_("plan ends"))
    diagnostic = models.TextField(
        _("diagnostic"),
        blank=True,
        help_text=_("Where the cluster stands: its firms, markets, bottlenecks and assets."),
    )
    strengths = models.TextField(_("strengths"), blank=True, help_text=_("One per line."))
    weaknesses = models.TextField(_("weaknesses"), blank=True, help_text=_("One per line."))
    opportunities = models.TextField(_("opportunities"), blank=True, help_text=_("One per line."))
    threats = models.TextField(_("threats"), blank=True, help_text=_("One per line."))
    benchmark_group = models.CharField(
        _("peers to compare with"),
        max_length=10,
        choices=BenchmarkGroup.choices,
        default=BenchmarkGroup.SECTOR,
        help_text=_("The benchmark compares the cluster's KPIs with clusters of this group."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("approved by the decision"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["cluster", "-version"]
        verbose_name = _("competitiveness plan")
        verbose_name_plural = _("competitiveness plans")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "version"], name="plan_version_once"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(decision__isnull=False),
                name="plan_approved_names_its_decision",
                violation_error_message=_(
                    "A plan is approved only by a decision of the steering committee."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="plan_dates_in_order",
                violation_error_message=_("The plan cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    def get_absolute_url(self):
        return reverse("plan-detail", args=[self.pk])

    @property
    def frozen(self) -> bool:
        return self.state == self.State.APPROVED

    @staticmethod
    def items(text: str) -> list[str]:
        """A SWOT list: one item per non-empty line."""
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def swot(self) -> list[tuple[str, list[str]]]:
        return [
            (str(self._meta.get_field(name).verbose_name), self.items(getattr(self, name)))
            for name in ("strengths", "weaknesses", "opportunities", "threats")
        ]


def study_path(instance, filename: str) -> str:
    """A random name, as the activity log's attachments: the uploader's name stays in the row."""
    return f"plans/{uuid.uuid4().hex}.{instance.extension}"


class PlanStudy(StoredUpload):
    """A study attached to a plan's diagnostic, under the activity log's attachment rules
    (core.uploads.attachment_check), served only through a view that checks the scope. A
    revision copies the row; the file is shared and removed with its last row."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="studies", verbose_name=_("plan")
    )
    file = models.FileField(_("file"), upload_to=study_path, max_length=200)

    class Meta:
        ordering = ["plan", "uploaded_at", "id"]
        verbose_name = _("study")
        verbose_name_plural = _("studies")

    def get_absolute_url(self):
        return reverse("plan-study", args=[self.pk])


class PlanAction(TimeStampedModel):
    """An action of a plan version: who leads it, when, its budget by funding source (in one
    currency), its status and the KPIs it should move."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan")
    )
    # The same action in the version this one revises: the difference between versions and
    # the activities done so far follow it.
    origin = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copy",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=200)
    owner = models.CharField(
        _("owner"), max_length=200, help_text=_("Who leads the action: a person or organisation.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    budget_program = models.DecimalField(_("budget from the program fund"), **MONEY)
    budget_firms = models.DecimalField(_("budget from the firms"), **MONEY)
    budget_public = models.DecimalField(_("budget from other public funds"), **MONEY)
    budget_credit = models.DecimalField(_("budget from credit"), **MONEY)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[validate_currency],
        help_text=_("ISO 4217, e.g. USD, ARS."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    kpis = models.ManyToManyField(
        KPI,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("KPIs it should move"),
    )
    activities = models.ManyToManyField(
        Activity,
        through="ActionActivity",
        blank=True,
        related_name="+",
        verbose_name=_("activities done for it"),
    )

    class Meta:
        ordering = ["plan", "starts_on", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="plan_action_dates_in_order",
                violation_error_message=_("The action cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(budget_program__gte=0)
                & Q(budget_firms__gte=0)
                & Q(budget_public__gte=0)
                & Q(budget_credit__gte=0),
                name="plan_action_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="plan_action_currency_iso"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def budget(self) -> Decimal:
        return sum((getattr(self, name) for name in BUDGET_FIELDS), start=Decimal(0))


class ActionActivity(models.Model):
    """An activity of the log done for a plan action (of the same cluster)."""

    action = models.ForeignKey(
        PlanAction, on_delete=models.CASCADE, related_name="links", verbose_name=_("action")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("activity")
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        ordering = ["action", "activity__date", "id"]
        verbose_name = _("activity of an action")
        verbose_name_plural = _("activities of actions")
        constraints = [
            models.UniqueConstraint(fields=["action", "activity"], name="action_activity_once")
        ]

    def __str__(self):
        return f"{self.action} / {self.activity}"
