"""What a cluster chose to make public: its results, by a decision of its steering committee
(DESIGN.md "Published results"). Nothing is public unless a row here says so."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Decision
from core.history.records import AuditTrail
from core.models import TimeStampedModel
from scorecards.models import KPI


class Publication(TimeStampedModel):
    """A cluster's choice to publish its approved results, naming the steering committee's
    decision; `withheld_kpis` are the KPIs the cluster keeps unpublished. Switched on and off by
    public.services.publication_set only."""

    cluster = models.OneToOneField(
        Cluster, on_delete=models.CASCADE, related_name="publication", verbose_name=_("cluster")
    )
    published = models.BooleanField(_("results published"), default=False)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("steering committee decision"),
        help_text=_("The decision of the cluster's steering committee to publish its results."),
    )
    withheld_kpis = models.ManyToManyField(
        KPI, blank=True, related_name="+", verbose_name=_("KPIs kept unpublished")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    history = AuditTrail(m2m_fields=[withheld_kpis])

    class Meta:
        ordering = ["cluster__name"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(published=False) | Q(decision__isnull=False),
                name="publication_names_its_decision",
                violation_error_message=_(
                    "Results are published only by a decision of the steering committee."
                ),
            ),
        ]

    def __str__(self):
        return str(self.cluster)


class AreaPublication(TimeStampedModel):
    """A national or a regional results page, published by its owner: the ministry of the
    country, the regional body of the region (or an administrator). One row per country or
    region; switched on and off by public.areas.services.area_publication_set only. The page
    shows published clusters' data only, whatever this says (public.pages.results)."""

    country = models.OneToOneField(
        "clusters.Country",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="publication",
        verbose_name=_("country"),
    )
    region = models.OneToOneField(
        "clusters.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="publication",
        verbose_name=_("region"),
    )
    published = models.BooleanField(_("results page published"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    history = AuditTrail()

    class Meta:
        verbose_name = _("national or regional publication")
        verbose_name_plural = _("national and regional publications")
        constraints = [
            models.CheckConstraint(
                condition=Q(country__isnull=False, region__isnull=True)
                | Q(country__isnull=True, region__isnull=False),
                name="area_publication_one_country_or_region",
                violation_error_message=_("A publication is of one country or one region."),
            ),
        ]

    def __str__(self):
        return str(self.country or self.region)


# The knowledge exchange's models live in their own sub-package, under this app's label.
from public.exchange.models import (  # noqa: E402
    CaseStudy,
    CaseStudyImage,
    ExchangeVisit,
    Topic,
)

__all__ = ["CaseStudy", "CaseStudyImage", "ExchangeVisit", "Publication", "Topic"]
