"""The account page's own form: how one hears of one's notifications by e-mail."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class NotificationEmailForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["notification_email"]
        widgets = {"notification_email": forms.RadioSelect}
        labels = {"notification_email": _("E-mail me my notifications")}
        help_texts = {
            "notification_email": _(
                "Either way, every notification waits in your inbox (the bell) until you read it."
            )
        }
