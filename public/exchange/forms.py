"""Forms of the knowledge exchange pages: a case study, its images, an exchange visit."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scopes import clusters_in_scope
from clusters.models import Cluster
from public.exchange.models import CaseStudy, ExchangeVisit, Topic
from scorecards.models import KPI


class CaseStudyForm(forms.ModelForm):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics"),
    )
    kpis = forms.ModelMultipleChoiceField(
        queryset=KPI.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("KPIs it is about"),
    )

    class Meta:
        model = CaseStudy
        fields = ["cluster", "title", "summary", "body", "sector_family", "published"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "summary": _("Two or three sentences shown in the index."),
            "body": _("What the cluster did, how, what worked and what did not."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = clusters_in_scope(user)
        self.fields["cluster"].queryset = scope.order_by("name")
        self.fields["kpis"].queryset = KPI.objects.filter(
            Q(cluster__isnull=True) | Q(cluster__in=scope.values("pk"))
        ).order_by("code")
        if self.instance.pk:
            self.initial["topics"] = list(self.instance.topics.all())
            self.initial["kpis"] = list(self.instance.kpis.all())


class ImageForm(forms.Form):
    file = forms.FileField(
        label=_("Image"), help_text=_("A PNG or JPEG picture."), widget=forms.ClearableFileInput
    )
    alt_text = forms.CharField(
        label=_("Description of the image"),
        max_length=250,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=250, required=False)


class VisitForm(forms.ModelForm):
    class Meta:
        model = ExchangeVisit
        fields = [
            "visitor",
            "host",
            "starts_on",
            "ends_on",
            "purpose",
            "women",
            "men",
            "learnt",
            "published",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "visitor": _("The cluster whose people travelled."),
            "host": _("The cluster they visited, in any country."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        clusters = Cluster.objects.select_related("country").order_by("name")
        for name in ("visitor", "host"):
            self.fields[name].queryset = clusters
            self.fields[name].label_from_instance = lambda c: f"{c.name} ({c.country.name})"
