"""Forms of the calls' pages: open a call, apply, score, select."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from calls.models import Application, Call

PERCENT_HELP = _("A percentage, 0-100.")


class CallForm(forms.ModelForm):
    min_cofinancing_percent = forms.DecimalField(
        label=_("Minimum co-financing (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=0,
        help_text=PERCENT_HELP,
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            'One per line: name | weight, e.g. "Quality of the plan | 50". Weights add up to 100.'
        ),
    )

    class Meta:
        model = Call
        fields = [
            "program",
            "title",
            "text",
            "deadline",
            "budget",
            "scale_max",
            "min_firms",
            "local_institution_required",
            "evaluators",
        ]
        widgets = {"deadline": forms.DateTimeInput(attrs={"type": "datetime-local"})}

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["evaluators"].queryset = User.objects.filter(role=Role.PROGRAM_OFFICER)

    def clean_criteria(self):
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, bar, weight = line.rpartition("|")
            try:
                weight = int(weight.strip())
            except ValueError:
                weight = 0
            if not bar or not name.strip() or not 1 <= weight <= 100:
                raise forms.ValidationError(
                    _('Write each criterion as "name | weight", the weight from 1 to 100.')
                )
            criteria.append({"name": name.strip(), "weight": weight})
        return criteria

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["min_cofinancing"] = self.cleaned_data["min_cofinancing_percent"] / 100
        return data


class ApplicationForm(forms.ModelForm):
    cofinancing_percent = forms.DecimalField(
        label=_("Co-financing (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        help_text=PERCENT_HELP,
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("PDF, Word, Excel, CSV or an image, 10 MB at most."),
    )

    class Meta:
        model = Application
        fields = [
            "cluster",
            "new_cluster_name",
            "new_cluster_country",
            "new_cluster_sector",
            "new_cluster_sector_family",
            "new_cluster_type",
            "new_cluster_origin",
            "declared_firms",
            "local_institutions",
            "answers",
        ]
        widgets = {
            "local_institutions": forms.Textarea(attrs={"rows": 3}),
            "answers": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["cofinancing"] = self.cleaned_data["cofinancing_percent"] / 100
        return data


class ScoreForm(forms.Form):
    """The no-conflict declaration, then a score and a comment per criterion."""

    no_conflict = forms.BooleanField(
        label=_("I declare that I have no conflict of interest with this application."),
    )

    def __init__(self, *args, criteria=(), scale_max=5, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.DecimalField(
                label=str(criterion),
                min_value=0,
                max_value=scale_max,
                decimal_places=2,
                help_text=_("From 0 to %(max)s.") % {"max": scale_max},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(name)s") % {"name": criterion.name},
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict:
        return {
            c.pk: (self.cleaned_data[f"criterion_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class SelectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason of the selection"), widget=forms.Textarea(attrs={"rows": 3})
    )
