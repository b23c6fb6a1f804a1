"""The activity log: what happened in a cluster (workshops, trainings, joint actions...), who
took part, what it cost and who paid, and the files that document it."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bsos.models import BSO
from clusters.models import ActionItem, Cluster, Meeting
from core.currencies import validate_currency
from core.history.records import AuditTrail
from core.models import StoredUpload, TimeStampedModel
from firms.models import Firm
from programs.models import Component

MONEY_DIGITS = {
    "max_digits": 14,
    "decimal_places": 2,
    "default": 0,
    "validators": [MinValueValidator(0)],
}
COST_FIELDS = ("cost_program", "cost_firms", "cost_public", "cost_credit")
# Paid from outside the cluster's firms: a healthy initiative shows this share falling.
EXTERNAL_COST_FIELDS = ("cost_program", "cost_public", "cost_credit")


class ActivityType(models.TextChoices):
    """Activity types seen in the field (domain/CONTEXT.md), joint actions among them."""

    STEERING_MEETING = "steering_meeting", _("Steering committee meeting")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    EXCHANGE_VISIT = "exchange_visit", _("Exposure / exchange visit")
    TRADE_FAIR = "trade_fair", _("Joint participation in a trade fair")
    JOINT_PURCHASING = "joint_purchasing", _("Joint purchasing of inputs")
    JOINT_MARKETING = "joint_marketing", _("Joint marketing / common brand")
    EXPORT_CONSORTIUM = "export_consortium", _("Export consortium")
    COLLECTIVE_SERVICES = "collective_services", _("Collective business services")
    SUPPLIER_DEVELOPMENT = "supplier_development", _("Supplier development / subcontracting")
    LOBBYING = "lobbying", _("Lobbying / policy forum")
    DIAGNOSTIC = "diagnostic", _("Diagnostic study")
    ACTION_PLAN = "action_plan", _("Action plan (competitiveness plan)")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    OTHER = "other", _("Other")


# Joint actions (Nadvi / Dini): horizontal or vertical cooperation among firms.
JOINT_ACTION_TYPES = frozenset(
    {
        ActivityType.TRADE_FAIR,
        ActivityType.JOINT_PURCHASING,
        ActivityType.JOINT_MARKETING,
        ActivityType.EXPORT_CONSORTIUM,
        ActivityType.COLLECTIVE_SERVICES,
        ActivityType.SUPPLIER_DEVELOPMENT,
    }
)
TRAINING_TYPES = frozenset({ActivityType.TRAINING})


class Activity(TimeStampedModel):
    """One thing that happened in a cluster, logged by (or for) the BSO that ran it."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="activities", verbose_name=_("cluster")
    )
    bso = models.ForeignKey(
        BSO, on_delete=models.PROTECT, related_name="activities", verbose_name=_("BSO")
    )
    date = models.DateField(_("date"))
    type = models.CharField(_("type"), max_length=24, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    firms = models.PositiveIntegerField(_("firms taking part"), default=0)
    women = models.PositiveIntegerField(_("women taking part"), default=0)
    men = models.PositiveIntegerField(_("men taking part"), default=0)
    # Which firms of the registry took part (`firms` above stays the number, which may count
    # firms not yet in the registry).
    participant_firms = models.ManyToManyField(
        Firm, blank=True, related_name="activities", verbose_name=_("firms that took part")
    )
    cost_program = models.DecimalField(_("paid by the program fund"), **MONEY_DIGITS)
    cost_firms = models.DecimalField(_("paid by the firms"), **MONEY_DIGITS)
    cost_public = models.DecimalField(_("paid by other public funds"), **MONEY_DIGITS)
    cost_credit = models.DecimalField(_("paid with credit"), **MONEY_DIGITS)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[validate_currency],
        help_text=_("ISO 4217, e.g. USD, ARS."),
    )
    action_item = models.ForeignKey(
        ActionItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("action item"),
    )
    # A steering committee meeting is one entry in both places: the committee's meeting and
    # this activity (monitoring.activities.meetings links them).
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("committee meeting"),
    )
    component = models.ForeignKey(
        Component,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("program component"),
    )
    outcome = models.TextField(_("outcome notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logged by"),
    )

    history = AuditTrail()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["cluster", "date"], name="activity_cluster_date"),
            models.Index(fields=["date", "id"], name="activity_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_program__gte=0)
                & Q(cost_firms__gte=0)
                & Q(cost_public__gte=0)
                & Q(cost_credit__gte=0),
                name="activity_costs_not_negative",
                violation_error_message=_("Costs cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="activity_currency_iso"
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"

    def get_absolute_url(self):
        return reverse("activity-detail", args=[self.pk])

    @property
    def total_cost(self):
        return sum((getattr(self, name) for name in COST_FIELDS), start=0)

    @property
    def people(self) -> int:
        return self.women + self.men

    @property
    def is_joint_action(self) -> bool:
        return self.type in JOINT_ACTION_TYPES


def attachment_path(instance, filename: str) -> str:
    """A random name: the uploader's file name is kept in the row, never on disk, so that it
    can neither guess nor overwrite another file."""
    return f"activities/{uuid.uuid4().hex}.{instance.extension}"


class ActivityAttachment(StoredUpload):
    """A file that documents an activity (attendance list, photo, minutes), served only through
    a view that checks the user's scope."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("activity")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)

    class Meta:
        ordering = ["activity", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self):
        return reverse("activity-attachment", args=[self.pk])


def import_upload_path(instance, filename: str) -> str:
    """A random name under imports/, with the uploaded file's kind (the reader checks that the
    content matches it)."""
    extension = "xlsx" if filename.lower().endswith(".xlsx") else "csv"
    return f"imports/{uuid.uuid4().hex}.{extension}"


class ActivityImport(models.Model):
    """A large activity spreadsheet imported in the background (monitoring.activities.jobs):
    the uploaded file until the job ran, its progress, and what it did."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Nothing imported")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # When the task was last sent to the broker: the sweep sends it again to a job still
    # waiting long after (its message was lost), at most once per STALL_SECONDS.
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.QUEUED, db_index=True
    )
    file = models.FileField(_("file"), upload_to=import_upload_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    # The page's language when the file was uploaded: the job's messages are written in it.
    language = models.CharField(_("language"), max_length=10)
    total = models.PositiveIntegerField(_("rows"), default=0)
    progress = models.PositiveIntegerField(_("rows read"), default=0)
    saved = models.PositiveIntegerField(_("activities saved"), default=0)
    errors = models.JSONField(_("problems"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity import")
        verbose_name_plural = _("activity imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=F("total")), name="activity_import_progress_in_total"
            ),
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("activity-import-job", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.REFUSED, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0
