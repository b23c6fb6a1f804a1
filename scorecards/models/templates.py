"""Scorecard templates: versions of perspectives > critical success factors > KPIs."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from scorecards.models.kpis import KPI


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
