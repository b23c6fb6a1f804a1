"""Funded cluster development programs and the clusters they enrol (grows with the money issue)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusters.models import Cluster
from core.dates import span_covers
from core.models import TimeStampedModel


class Program(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    clusters = models.ManyToManyField(
        Cluster, through="Enrolment", related_name="programs", verbose_name=_("clusters")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self):
        return self.name


class EnrolmentQuerySet(models.QuerySet):
    def current(self, on=None):
        return self.filter(span_covers(on, start="enrolled_from", end="enrolled_until"))


class Enrolment(TimeStampedModel):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("program")
    )
    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("cluster")
    )
    enrolled_from = models.DateField(_("enrolled from"))
    enrolled_until = models.DateField(_("enrolled until"), null=True, blank=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["program", "cluster"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(
                condition=Q(enrolled_until__isnull=True)
                | Q(enrolled_until__gte=F("enrolled_from")),
                name="enrolment_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["program", "cluster", "enrolled_from"], name="enrolment_unique_start"
            ),
        ]

    def __str__(self):
        return f"{self.cluster} in {self.program}"
