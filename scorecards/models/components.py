"""Which KPIs measure a program component's outputs: the link that joins a component's money to
its results (DESIGN.md "The program cycle"; monitoring.results reads it)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from programs.models import Component
from scorecards.models.kpis import KPI


class ComponentKPI(TimeStampedModel):
    """A core KPI whose program-level targets are among the component's output targets. Only
    core KPIs: a cluster's own KPIs never roll up to the program (rule 5)."""

    component = models.ForeignKey(
        Component,
        on_delete=models.CASCADE,
        related_name="kpi_links",
        verbose_name=_("component"),
    )
    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="component_links", verbose_name=_("KPI")
    )

    class Meta:
        ordering = ["component", "kpi__code"]
        verbose_name = _("component KPI")
        verbose_name_plural = _("component KPIs")
        constraints = [
            models.UniqueConstraint(
                fields=["component", "kpi"],
                name="component_kpi_unique",
                violation_error_message=_("This KPI already measures this component."),
            )
        ]

    def __str__(self):
        return f"{self.component}: {self.kpi}"

    def clean(self):
        if self.kpi_id and self.kpi.cluster_id is not None:
            raise ValidationError(
                {
                    "kpi": _(
                        "Only core KPIs measure a component: a cluster's own KPI has no "
                        "program total."
                    )
                }
            )
