"""Forms of the program pages. They only parse input: the rules (amounts within the total, the
cycle's steps and their dates, which clusters an officer may enrol, disbursements after the
approval and within the funder amount) are in programs.services and the models' `clean()`,
whose errors the views put back onto these forms; so none validates the model a second time."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusters.models import MEMBER_FIELDS, Cluster
from programs.models import Component, Disbursement, Enrolment, Program, StrategicCommitteeMember
from programs.services import PROGRAM_FIELDS, TRANSITIONS

DATE = {"type": "date"}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class ServiceModelForm(forms.ModelForm):
    """A model form whose model checks run in the service (the view puts its errors back)."""

    def _post_clean(self):
        pass


class ProgramForm(ServiceModelForm):
    class Meta:
        model = Program
        fields = list(PROGRAM_FIELDS)
        widgets = {"countries": forms.CheckboxSelectMultiple}
        help_texts = {
            "code": _("Letters, digits and hyphens, e.g. ar-clusters-2018."),
            "countries": _("An officer enrols active clusters of these countries."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].queryset = self.fields["countries"].queryset.order_by("name")

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()


class TransitionForm(forms.Form):
    """The next step of the program's cycle and the date it happened."""

    status = forms.ChoiceField(label=_("New status"))
    on = forms.DateField(
        label=_("Date"),
        widget=_date_input(),
        help_text=_(
            "The day it happened: not in the future, not before the previous step "
            "(a program approved in 2018 is recorded with its 2018 date)."
        ),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[program.status]
        self.fields["status"].choices = [
            (value, label) for value, label in Program.Status.choices if value in allowed
        ]
        self.fields["on"].initial = timezone.localdate()


class ComponentForm(ServiceModelForm):
    class Meta:
        model = Component
        fields = ["name", "description", "budget"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EnrolmentForm(ServiceModelForm):
    class Meta:
        model = Enrolment
        fields = ["cluster", "enrolled_from", "enrolled_until"]
        widgets = {"enrolled_from": _date_input(), "enrolled_until": _date_input()}
        help_texts = {"enrolled_until": _("Leave empty while the cluster takes part.")}

    def __init__(self, *args, clusters: QuerySet[Cluster], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters
        self.fields["cluster"].label_from_instance = lambda c: f"{c.name} ({c.country.name})"


class StrategicMemberForm(ServiceModelForm):
    class Meta:
        model = StrategicCommitteeMember
        fields = list(MEMBER_FIELDS)
        widgets = {"since": _date_input(), "until": _date_input()}
        help_texts = {"until": _("Leave empty while the member sits on the committee.")}


class DisbursementForm(ServiceModelForm):
    class Meta:
        model = Disbursement
        fields = ["date", "amount", "component", "reference"]
        widgets = {"date": _date_input()}
        help_texts = {"date": _("The day the money was paid out, on or after the approval.")}

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = program.components.order_by("name")
        self.fields["amount"].help_text = _("In %(currency)s.") % {"currency": program.currency}
