"""Forms of the plan pages. They only parse input; the rules are in plans.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.activities.forms import MONEY
from monitoring.models.activities import Activity
from plans.models import BUDGET_FIELDS, Plan, PlanAction
from plans.services import ACTION_FIELDS, PLAN_FIELDS, decisions_of, kpis_offered

DATE = {"type": "date"}


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = list(PLAN_FIELDS)
        widgets = {
            "period_start": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "diagnostic": forms.Textarea(attrs={"rows": 8}),
            "strengths": forms.Textarea(attrs={"rows": 4}),
            "weaknesses": forms.Textarea(attrs={"rows": 4}),
            "opportunities": forms.Textarea(attrs={"rows": 4}),
            "threats": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self):
        pass  # the service validates the model (full_clean), once


class ActionForm(forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = [*ACTION_FIELDS, "kpis"]
        help_texts = {"kpis": _("Hold Ctrl (or ⌘) to pick several.")}
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "budget_program": forms.NumberInput(attrs=MONEY),
            "budget_firms": forms.NumberInput(attrs=MONEY),
            "budget_public": forms.NumberInput(attrs=MONEY),
            "budget_credit": forms.NumberInput(attrs=MONEY),
            "currency": forms.TextInput(
                attrs={"maxlength": "3", "autocapitalize": "characters", "size": "4"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpis"].queryset = kpis_offered()
        self.fields["kpis"].label_from_instance = lambda kpi: f"{kpi.code}: {kpi.name}"
        self.fields["kpis"].widget.attrs["size"] = "8"
        for name in BUDGET_FIELDS:
            self.fields[name].required = False
            self.fields[name].widget.attrs["placeholder"] = "0"

    def clean(self):
        cleaned = super().clean()
        for name in BUDGET_FIELDS:
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0  # an empty box means nothing from that source
        return cleaned

    def _post_clean(self):
        pass  # the service validates the model (full_clean), once


class ApproveForm(forms.Form):
    decision = forms.ModelChoiceField(
        label=_("Decision of the steering committee"),
        queryset=None,
        help_text=_("The decision of a meeting of the cluster's steering committee."),
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions_of(plan.cluster_id)
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.meeting.held_on:%Y-%m-%d}: {d.text[:120]}"
        )


class LinkForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=None,
        help_text=_("An activity of the cluster's log, done for this action."),
    )

    def __init__(self, *args, action: PlanAction, **kwargs):
        super().__init__(*args, **kwargs)
        linked = action.links.values("activity_id")
        self.fields["activity"].queryset = (
            Activity.objects.filter(cluster_id=action.plan.cluster_id)
            .exclude(pk__in=linked)
            .order_by("-date", "-pk")
        )
        self.fields["activity"].label_from_instance = lambda a: f"{a.date:%Y-%m-%d} {a.title}"
