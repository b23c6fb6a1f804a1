"""The publication form: switch on or off, the steering committee's decision, KPIs withheld."""

from django import forms
from django.utils.translation import gettext_lazy as _

from public import services
from scorecards.models import KPI
from scorecards.selectors import current_scorecard, scorecard_kpis


class DecisionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.meeting.held_on:%Y-%m-%d} — {obj.text[:120]}"


class PublicationForm(forms.Form):
    published = forms.BooleanField(
        label=_("Publish the cluster's results"),
        required=False,
        help_text=_(
            "Approved values only, of the KPIs not kept unpublished, on public pages, open data "
            "and the program's IATI file."
        ),
    )
    decision = DecisionChoice(
        queryset=None,
        label=_("Steering committee decision"),
        required=False,
        help_text=_(
            "The decision by which the cluster chose to publish its results (record it with "
            "the meeting on the committee's page)."
        ),
    )
    withheld_kpis = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("KPIs kept unpublished"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, cluster, publication, **kwargs):
        if publication is not None and not args[0]:
            kwargs["initial"] = {
                "published": publication.published,
                "decision": publication.decision_id,
                "withheld_kpis": list(publication.withheld_kpis.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = services.decisions_of(cluster)
        scorecard = current_scorecard(cluster_id=cluster.pk)
        kpi_ids = [kpi.pk for kpi in scorecard_kpis(scorecard=scorecard)] if scorecard else []
        if publication is not None:
            kpi_ids += [kpi.pk for kpi in publication.withheld_kpis.all()]
        self.fields["withheld_kpis"].queryset = KPI.objects.filter(pk__in=kpi_ids).order_by("code")
