"""A cluster's scorecard: the template version it adopted, and its own KPIs placed under it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from core.models import TimeStampedModel
from scorecards.models.kpis import KPI
from scorecards.models.templates import CSF, Template


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
