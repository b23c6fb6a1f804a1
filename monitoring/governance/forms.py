"""Forms of the governance pages. They only parse input: the rules (an owner, meeting or
decision of the same committee, attendees who are members, one meeting per day) are in the
services (clusters.services, monitoring.governance.services), whose errors come back onto
these forms; so none of them validates the model a second time."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clusters.models import (
    MEMBER_FIELDS,
    ActionItem,
    CommitteeMember,
    Decision,
    Meeting,
    SteeringCommittee,
)

DATE = {"type": "date"}


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs=DATE, format="%Y-%m-%d")


class ServiceModelForm(forms.ModelForm):
    """A model form whose model checks run in the service (the view puts its errors back)."""

    def _post_clean(self):
        pass


class CommitteeForm(ServiceModelForm):
    class Meta:
        model = SteeringCommittee
        fields = ["name", "established_on"]
        widgets = {"established_on": _date_input()}


class MemberForm(ServiceModelForm):
    class Meta:
        model = CommitteeMember
        fields = list(MEMBER_FIELDS)
        widgets = {"since": _date_input(), "until": _date_input()}
        help_texts = {"until": _("Leave empty while the member sits on the committee.")}


class MeetingForm(ServiceModelForm):
    """A meeting: when and where, who attended, the minutes and the decisions taken."""

    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One decision per line."),
    )

    class Meta:
        model = Meeting
        fields = ["held_on", "location", "attendees", "minutes"]
        widgets = {
            "held_on": _date_input(),
            "attendees": forms.CheckboxSelectMultiple,
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"attendees": _("The committee's members who took part.")}

    def __init__(self, *args, committee: SteeringCommittee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = committee.members.order_by("name")
        if self.instance.pk and "decisions" not in self.initial:
            texts = [d.text for d in self.instance.decisions.all()]
            self.initial["decisions"] = "\n".join(texts)

    def clean_decisions(self) -> list[str]:
        lines = self.cleaned_data["decisions"].splitlines()
        return [line.strip() for line in lines if line.strip()]


class ActionItemForm(ServiceModelForm):
    class Meta:
        model = ActionItem
        fields = ["title", "decision", "meeting", "owner", "due_on", "status"]
        widgets = {"due_on": _date_input()}
        help_texts = {
            "meeting": _("Filled in from the decision when left empty."),
            "owner": _("A member of the committee."),
        }

    def __init__(self, *args, committee: SteeringCommittee, **kwargs):
        super().__init__(*args, **kwargs)
        meetings = committee.meetings.order_by("-held_on")
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.held_on:%Y-%m-%d}"
        self.fields["decision"].queryset = (
            Decision.objects.filter(meeting__committee=committee)
            .select_related("meeting")
            .order_by("-meeting__held_on", "pk")
        )
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.meeting.held_on:%Y-%m-%d}: {d.text[:80]}"
        )
        self.fields["owner"].queryset = committee.members.order_by("name")


class ActionItemStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
