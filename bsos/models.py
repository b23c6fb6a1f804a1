"""Business support organisations and the clusters they support."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, Country
from core.dates import span_covers
from core.history.records import AuditTrail
from core.models import TimeStampedModel


class BSO(TimeStampedModel):
    class Kind(models.TextChoices):
        BUSINESS_ASSOCIATION = "business_association", _("Business association")
        CHAMBER = "chamber", _("Chamber of commerce")
        BDS_PROVIDER = "bds_provider", _("Business development service provider")
        TRAINING_INSTITUTE = "training_institute", _("Training institute")
        TECHNOLOGY_INSTITUTE = "technology_institute", _("Technology institute")
        NGO = "ngo", _("NGO")
        COOPERATIVE = "cooperative", _("Cooperative")
        UNIVERSITY = "university", _("University")
        PUBLIC_SME_AGENCY = "public_sme_agency", _("Public SME agency")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="bsos", verbose_name=_("country")
    )
    city = models.CharField(_("city"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    clusters = models.ManyToManyField(
        Cluster, through="ClusterSupport", related_name="bsos", verbose_name=_("clusters")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("business support organisation")
        verbose_name_plural = _("business support organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bso-detail", args=[self.pk])


class ClusterSupportQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(span_covers(on))


class ClusterSupport(TimeStampedModel):
    """A BSO supporting a cluster, as its lead or as a partner, over a span of dates."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead BSO")
        PARTNER = "partner", _("Partner BSO")

    bso = models.ForeignKey(
        BSO, on_delete=models.CASCADE, related_name="supports", verbose_name=_("BSO")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="supports", verbose_name=_("cluster")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)

    objects = ClusterSupportQuerySet.as_manager()
    history = AuditTrail()

    class Meta:
        ordering = ["cluster", "role", "since"]
        verbose_name = _("cluster support")
        verbose_name_plural = _("cluster supports")
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="cluster_support_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            # The database guarantees one open-ended lead; clean() rejects overlapping spans.
            models.UniqueConstraint(
                fields=["cluster"],
                condition=Q(role="lead", until__isnull=True),
                name="cluster_one_open_lead_bso",
                violation_error_message=_("This cluster already has a lead BSO."),
            ),
            models.UniqueConstraint(
                fields=["bso", "cluster", "since"], name="cluster_support_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.bso} → {self.cluster} ({self.get_role_display()})"

    def clean(self):
        if self.role != self.Role.LEAD or not (self.cluster_id and self.since):
            return
        overlapping = ClusterSupport.objects.filter(
            cluster_id=self.cluster_id, role=self.Role.LEAD
        ).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(until__isnull=True) | Q(until__gte=self.since))
        if self.until:
            overlapping = overlapping.filter(since__lte=self.until)
        if overlapping.exists():
            raise ValidationError({"role": _("Another BSO leads this cluster during these dates.")})
