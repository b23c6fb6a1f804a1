"""Calls for proposals: a program's published criteria and eligibility rules, the applications
BSO staff send for a cluster (existing or new), and the evaluators' declarations and scores.

A call moves draft -> published -> closed -> decided (calls.services.TRANSITIONS). The ranking
and the eligibility rules are in calls.services; these models keep one row's own rules.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bsos.models import BSO
from clusters.models import Cluster, ClusterType, Country, InitiativeOrigin, SectorFamily
from core.models import TimeStampedModel
from programs.models import Program

# Shares are kept as fractions (0.25 is 25 %), as everywhere in the project.
SHARE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


class Call(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        DECIDED = "decided", _("Decided")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="calls", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), help_text=_("What the call funds and how to apply."))
    deadline = models.DateTimeField(_("deadline"))
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Each criterion is scored from 0 to this number."),
    )
    min_firms = models.PositiveIntegerField(
        _("minimum number of firms"),
        default=0,
        help_text=_(
            "Counted from the firm registry when the cluster is in it, else the declared count."
        ),
    )
    local_institution_required = models.BooleanField(
        _("a local institution is required"), default=True
    )
    min_cofinancing = models.DecimalField(
        _("minimum co-financing share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=SHARE,
        help_text=_("The share of the budget the applicants bring, for matching grants."),
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="calls_to_evaluate",
        verbose_name=_("evaluators"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-deadline", "id"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="call_budget_not_negative"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state != self.State.DRAFT


class Criterion(models.Model):
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("call")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["call", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class Application(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        NOT_SELECTED = "not_selected", _("Not selected")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    bso = models.ForeignKey(
        BSO, on_delete=models.PROTECT, related_name="applications", verbose_name=_("applicant BSO")
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("cluster"),
        help_text=_("Leave empty for a new cluster initiative, and describe it below."),
    )
    new_cluster_name = models.CharField(_("name of the new initiative"), max_length=200, blank=True)
    new_cluster_country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("country of the new initiative"),
    )
    new_cluster_sector = models.CharField(
        _("sector of the new initiative"), max_length=200, blank=True
    )
    new_cluster_sector_family = models.CharField(
        _("sector family"), max_length=30, choices=SectorFamily.choices, blank=True
    )
    new_cluster_type = models.CharField(
        _("cluster type"), max_length=30, choices=ClusterType.choices, blank=True
    )
    new_cluster_origin = models.CharField(
        _("initiative origin"), max_length=30, choices=InitiativeOrigin.choices, blank=True
    )
    declared_firms = models.PositiveIntegerField(
        _("declared number of firms"),
        default=0,
        help_text=_("Used when the cluster's firms are not in the firm registry."),
    )
    local_institutions = models.TextField(
        _("local institutions"),
        blank=True,
        help_text=_("One per line: universities, chambers, local governments taking part."),
    )
    cofinancing = models.DecimalField(
        _("co-financing share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=SHARE,
    )
    answers = models.TextField(_("answers"), blank=True)
    state = models.CharField(
        _("state"), max_length=15, choices=State.choices, default=State.DRAFT, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    selection_reason = models.TextField(_("reason of the selection"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["call", "submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return self.applicant_name

    @property
    def applicant_name(self) -> str:
        return self.cluster.name if self.cluster_id else self.new_cluster_name


def document_path(instance, filename: str) -> str:
    return f"calls/{instance.application.call_id}/{instance.application_id}/{filename}"


class ApplicationDocument(TimeStampedModel):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)

    class Meta:
        ordering = ["application", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.name


class Declaration(models.Model):
    """An evaluator's word that they have no conflict of interest with one application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="declarations"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator"], name="declaration_once_per_evaluator"
            )
        ]

    def __str__(self):
        return f"{self.evaluator} / {self.application}"


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comment"))

    class Meta:
        ordering = ["application", "criterion", "evaluator"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "evaluator", "criterion"], name="score_once_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"
