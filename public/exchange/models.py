"""Knowledge exchange between clusters: case studies (a cluster's experience, told for others)
and exchange visits (one cluster visiting another, often across countries).

Models of the `public` app (public.models re-exports them). A case study or a visit is public
only when BSO staff in scope publish it (its own `published` flag, with who and when): nothing
of a cluster is public by default. An exchange visit can be logged once as an activity of each
of its two clusters (`host_activity`, `visitor_activity`: one-to-one, so never twice).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster, SectorFamily
from core.models import TimeStampedModel
from monitoring.models import Activity
from scorecards.models import KPI


class Topic(models.Model):
    """A subject case studies are tagged with (governance, export, innovation...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Publishable(TimeStampedModel):
    """Written by BSO staff in scope; public only once they publish it."""

    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Shown on the public knowledge exchange pages, to anyone."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True


class CaseStudy(Publishable):
    """A cluster's experience, told so that other clusters can learn from it."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="case_studies", verbose_name=_("cluster")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=600)
    body = models.TextField(_("the experience"))
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="case_studies", verbose_name=_("topics")
    )
    sector_family = models.CharField(
        _("sector family"), max_length=30, choices=SectorFamily.choices
    )
    kpis = models.ManyToManyField(
        KPI,
        blank=True,
        related_name="+",
        verbose_name=_("KPIs it is about"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("case-study", args=[self.pk])


def image_path(instance, filename: str) -> str:
    """A random name (the uploader's is never on disk)."""
    return f"case-studies/{uuid.uuid4().hex}.{instance.extension}"


class CaseStudyImage(models.Model):
    """A picture of a case study (PNG or JPEG, checked by content as activity attachments are),
    served only through a view that checks the case study is published or in scope."""

    case_study = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="images", verbose_name=_("case study")
    )
    file = models.FileField(_("image"), upload_to=image_path, max_length=200)
    extension = models.CharField(_("type"), max_length=5)
    alt_text = models.CharField(
        _("description of the image"),
        max_length=250,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=250, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["case_study", "uploaded_at", "id"]
        verbose_name = _("case study image")
        verbose_name_plural = _("case study images")

    def __str__(self):
        return self.alt_text

    def get_absolute_url(self):
        return reverse("case-study-image", args=[self.pk])


class ExchangeVisit(Publishable):
    """A visit of one cluster's people to another cluster: who visited whom, when, why, who
    went (by sex) and what they learnt."""

    host = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="visits_hosted", verbose_name=_("host")
    )
    visitor = models.ForeignKey(
        Cluster,
        on_delete=models.CASCADE,
        related_name="visits_made",
        verbose_name=_("visiting cluster"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    purpose = models.TextField(_("purpose"))
    women = models.PositiveIntegerField(_("women taking part"), default=0)
    men = models.PositiveIntegerField(_("men taking part"), default=0)
    learnt = models.TextField(_("what was learnt"), blank=True)
    host_activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_hosted",
        verbose_name=_("the host's activity"),
    )
    visitor_activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_made",
        verbose_name=_("the visitor's activity"),
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("exchange visit")
        verbose_name_plural = _("exchange visits")
        constraints = [
            models.CheckConstraint(
                condition=~Q(host=F("visitor")),
                name="exchange_visit_between_two_clusters",
                violation_error_message=_("A cluster does not visit itself."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="exchange_visit_ends_after_it_starts",
                violation_error_message=_("The visit ends on or after the day it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.visitor} → {self.host} ({self.starts_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("exchange-visit", args=[self.pk])

    @property
    def participants(self) -> int:
        return self.women + self.men
