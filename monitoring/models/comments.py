"""Comments: the thread of one report value, between the cluster's BSO staff and its reviewers."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.models.reports import Measurement, ReportTransition

MAX_COMMENT = 2000


class Comment(models.Model):
    """One message about one value. A comment written by a return (or a reopening) that named
    the value carries that transition: the reviewer's reason opens the value's thread."""

    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("KPI value"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"), max_length=MAX_COMMENT)
    transition = models.ForeignKey(
        ReportTransition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("written by the review step"),
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["measurement", "created_at", "pk"]
        verbose_name = _("comment on a value")
        verbose_name_plural = _("comments on values")
        indexes = [
            models.Index(fields=["measurement", "created_at"], name="comment_thread"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="comment_not_empty"),
        ]

    def __str__(self):
        return f"comment {self.pk} on {self.measurement_id}"
