"""Forms of the firm registry's pages: they only parse input (the rules are in firms.services)
and offer the clusters, BSOs and firms of the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scopes import bsos_in_scope, clusters_in_scope, is_admin
from bsos.models import BSO
from clusters.models import Cluster
from firms.models import Firm, Membership
from firms.services import FIRM_FIELDS

DATE = {"type": "date"}


class FirmForm(forms.ModelForm):
    """A firm's own fields; on creation also the cluster it is a member of, from a date."""

    scoped_choices = ("cluster", "bsos")

    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.none(),
        label=_("Member of the cluster"),
        help_text=_("The firm is registered as a member of this cluster."),
    )
    since = forms.DateField(
        label=_("Member since"),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    class Meta:
        model = Firm
        fields = list(FIRM_FIELDS)
        widgets = {
            "bsos": forms.CheckboxSelectMultiple,
            "founded": forms.NumberInput(attrs={"inputmode": "numeric", "min": "1800"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bsos"].queryset = BSO.objects.filter(
            pk__in=bsos_in_scope(user).values("pk")
        ).order_by("name")
        if self.instance.pk:
            del self.fields["cluster"], self.fields["since"]
            return
        self.fields["cluster"].queryset = clusters_in_scope(user).order_by("name")
        self.fields["cluster"].required = not is_admin(user)
        self.initial.setdefault("since", timezone.localdate())

    def clean_bsos(self):
        """The BSOs ticked, and those serving the firm that the form does not offer (outside the
        user's scope): a user changes only what they see."""
        chosen = list(self.cleaned_data["bsos"])
        if self.instance.pk:
            offered = self.fields["bsos"].queryset.values("pk")
            chosen += list(self.instance.bsos.exclude(pk__in=offered))
        return chosen

    def _post_clean(self):
        pass  # the service validates the firm (model checks and constraints), once


class MembershipForm(forms.ModelForm):
    scoped_choices = ("cluster",)

    class Meta:
        model = Membership
        fields = ["cluster", "since", "until"]
        widgets = {
            "since": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "until": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }
        help_texts = {"until": _("Leave empty while the firm is a member.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters_in_scope(user).order_by("name")

    def _post_clean(self):
        pass  # the service validates


class FirmImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=_("An .xlsx or .csv file whose first row names the columns."),
    )


class MergeForm(forms.Form):
    """Which of the two records stays (the other is merged into it)."""

    keep = forms.TypedChoiceField(label=_("Keep"), coerce=int, widget=forms.RadioSelect, choices=())

    def __init__(self, *args, first: Firm, second: Firm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [
            (first.pk, f"{first.name} (#{first.pk})"),
            (second.pk, f"{second.name} (#{second.pk})"),
        ]
        self.initial.setdefault("keep", first.pk)
