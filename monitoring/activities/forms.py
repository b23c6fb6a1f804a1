"""Forms of the activity pages: the quick-entry form (built for a phone), the attachment upload
and the spreadsheet import. They only parse input; the rules are in
monitoring.activities.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.scopes import clusters_in_scope
from bsos.models import BSO
from clusters.models import ActionItem
from firms.models import Firm, Membership
from monitoring.activities.services import ACTIVITY_FIELDS, ATTACHMENT_TYPES, activity_refusal
from monitoring.models.activities import Activity
from programs.models import Component

WHOLE = {"inputmode": "numeric", "min": "0", "step": "1", "pattern": "[0-9]*"}
MONEY = {"inputmode": "decimal", "min": "0", "step": "0.01"}
ZERO_WHEN_EMPTY = (
    "firms",
    "women",
    "men",
    "cost_program",
    "cost_firms",
    "cost_public",
    "cost_credit",
)


class ActivityForm(forms.ModelForm):
    """One activity in one column of big inputs: what, when, who took part, who paid."""

    # Choices drawn from the user's scope: an id the form does not offer answers 404.
    scoped_choices = ("cluster", "action_item", "component", "participant_firms")

    class Meta:
        model = Activity
        fields = [*ACTIVITY_FIELDS, "participant_firms"]
        help_texts = {
            "participant_firms": _(
                "Firms of the registry, members of the activity's cluster. Hold Ctrl (or ⌘) to "
                "pick several."
            )
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "firms": forms.NumberInput(attrs=WHOLE),
            "women": forms.NumberInput(attrs=WHOLE),
            "men": forms.NumberInput(attrs=WHOLE),
            "cost_program": forms.NumberInput(attrs=MONEY),
            "cost_firms": forms.NumberInput(attrs=MONEY),
            "cost_public": forms.NumberInput(attrs=MONEY),
            "cost_credit": forms.NumberInput(attrs=MONEY),
            "currency": forms.TextInput(
                attrs={"maxlength": "3", "autocapitalize": "characters", "size": "4"}
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        clusters = clusters_in_scope(user).order_by("name")
        self.fields["cluster"].queryset = clusters
        self.fields["action_item"].queryset = (
            ActionItem.objects.filter(committee__cluster__in=clusters.values("pk"))
            .select_related("committee__cluster")
            .order_by("committee__cluster__name", "due_on", "pk")
        )
        self.fields["action_item"].label_from_instance = lambda item: (
            f"{item.committee.cluster.name}: {item.title}"
        )
        self.fields["component"].queryset = (
            Component.objects.filter(program__enrolments__cluster__in=clusters.values("pk"))
            .select_related("program")
            .distinct()
            .order_by("program__name", "name")
        )
        self.fields["component"].label_from_instance = lambda c: f"{c.program.name}: {c.name}"
        members = Membership.objects.filter(cluster__in=clusters.values("pk"))
        self.fields["participant_firms"].queryset = Firm.objects.filter(
            pk__in=members.values("firm_id")
        ).order_by("name", "pk")
        self.fields["participant_firms"].widget.attrs["size"] = "6"
        if user.role == Role.BSO_STAFF and not user.is_superuser:
            # Their own BSO, shown but not chosen: the service refuses any other.
            self.fields["bso"].queryset = BSO.objects.filter(pk=user.bso_id)
            self.fields["bso"].initial = user.bso_id
            self.fields["bso"].disabled = True
        if not self.instance.pk and not self.initial.get("date"):
            self.initial["date"] = timezone.localdate()
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        for name in ZERO_WHEN_EMPTY:
            self.fields[name].required = False
            self.fields[name].widget.attrs["placeholder"] = "0"

    def clean(self):
        cleaned = super().clean()
        for name in ZERO_WHEN_EMPTY:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0  # an empty box on a phone means none
        return cleaned

    def _post_clean(self):
        # Model validation and the rules run in the service (they need the user), which the
        # view calls once every input parsed; doing it here too would report every error
        # twice. While some input did not parse, the view never gets there: ask the service
        # now about the inputs that did, so that the form shows all its errors at once.
        if not self._errors:
            return
        data = {name: value for name, value in self.cleaned_data.items() if name in self.fields}
        activity = self.instance if self.instance.pk else None
        refusal = activity_refusal(data=data, user=self.user, activity=activity)
        if not isinstance(refusal, ValidationError):
            return  # a scope refusal: the view answers it once the form is right
        for field, messages in refusal.message_dict.items():
            if field in self._errors:
                continue  # this input already says what is wrong with it
            self.add_error(field if field in self.fields else None, messages)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in sorted(ATTACHMENT_TYPES))}
        ),
        help_text=_("PDF, image (PNG, JPG), spreadsheet (XLSX, CSV) or document (DOCX)."),
    )


class ActivityImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("An .xlsx or .csv file laid out like the template."),
    )
