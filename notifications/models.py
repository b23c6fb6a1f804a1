"""A notification: one row per recipient and event, the in-app inbox and the e-mail's source."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Report submitted")
        RETURNED = "returned", _("Report returned")
        APPROVED = "approved", _("Report approved")
        REOPENED = "reopened", _("Report reopened")
        DUE = "due", _("Report due")
        OVERDUE = "overdue", _("Report overdue")
        REVIEW = "review", _("Report waiting for review")
        EXPLAINED = "explained", _("Flag explained")
        COMMENT = "comment", _("New comment on a value")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What it is about (a report, or the cluster of a report not started yet) and where to go.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    link = models.CharField(_("link"), max_length=300, blank=True)
    # The text's parameters (cluster, period, who, comment...), rendered in the reader's
    # language when shown (notifications.texts).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(emailed_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self):
        # (the sentence a reader sees is notifications.texts.text, which reads this model)
        return str(self.get_kind_display())

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
