"""Page forms of the plan: a cluster's own KPI proposed and decided, a scorecard adopted.
(The targets and baselines grids are in scorecards/grids.py.)"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from scorecards.models import CSF, KPI, ClusterScorecard, KPIChecks, Template

OWN_KPI_FIELDS = [
    "code",
    "name",
    "description",
    "unit",
    "currency",
    "direction",
    "aggregation",
    "time_aggregation",
    "frequency",
    "results_level",
]


class OwnKPIForm(forms.ModelForm):
    """A cluster's own KPI as a BSO proposes it, under one CSF of the cluster's scorecard."""

    csf = forms.ModelChoiceField(
        queryset=CSF.objects.none(),
        label=_("Critical success factor"),
        help_text=_("Where the KPI sits on the cluster's scorecard."),
    )

    class Meta:
        model = KPI
        fields = ["csf", *OWN_KPI_FIELDS]
        help_texts = {
            "code": _("A short unique name in lowercase letters, digits and dashes."),
            "aggregation": _("Own KPIs stay on this cluster's scorecard: they do not roll up."),
        }

    def __init__(self, *args, scorecard: ClusterScorecard | None, **kwargs):
        super().__init__(*args, **kwargs)
        if scorecard is None:  # editing a proposal: its place on the scorecard stays
            del self.fields["csf"]
            return
        self.fields["csf"].queryset = CSF.objects.filter(
            perspective__template=scorecard.template_id
        ).select_related("perspective")
        self.fields["csf"].label_from_instance = lambda csf: f"{csf.perspective.name}: {csf.name}"

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in OWN_KPI_FIELDS}


class OwnKPIDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to reject. The cluster reads it on its scorecard."),
    )


class AdoptionForm(forms.Form):
    template = forms.ModelChoiceField(
        queryset=Template.objects.published().order_by("code", "-version"),
        label=_("Scorecard template"),
        help_text=_("A published version. The cluster's current scorecard ends the day before."),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day the cluster started measuring itself with this scorecard."),
    )


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: beside its field when it names one of the form's."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


class KPIChecksForm(forms.ModelForm):
    """A KPI's data-quality rules (scorecards.services.kpi_checks_set saves them)."""

    class Meta:
        model = KPIChecks
        fields = [
            "minimum",
            "maximum",
            "max_change",
            "max_change_kind",
            "numerator_within_denominator",
            "split_adds_up",
            "peer_outliers",
            "outlier_threshold",
        ]

    def __init__(self, *args, kpi: KPI, **kwargs):
        super().__init__(*args, **kwargs)
        # rules that cannot apply to this KPI are left out
        if not kpi.is_ratio:
            del self.fields["numerator_within_denominator"]
        if not kpi.split_dimensions:
            del self.fields["split_adds_up"]
