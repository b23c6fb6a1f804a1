"""Forms of the surveys' pages: they parse input (the rules are in surveys.services) and offer
the clusters, firms and organisations of the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scopes import clusters_in_scope, is_admin
from clusters.models import Cluster
from surveys.answers import partner_key
from surveys.models import LANGUAGES, Question, Round, Sex, Survey, SurveyVersion

DATE = {"type": "date"}
LANGUAGE_LABELS = {"en": _("English"), "es": _("Spanish"), "pt": _("Portuguese")}


def _language_fields(form, prefix: str, label, required_en: bool, widget=None) -> None:
    for code in LANGUAGES:
        form.fields[f"{prefix}_{code}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_LABELS[code]})",
            required=required_en and code == "en",
            max_length=1000,
            widget=widget,
        )


def _labels(data: dict, prefix: str) -> dict:
    return {
        code: data[f"{prefix}_{code}"].strip() for code in LANGUAGES if data.get(f"{prefix}_{code}")
    }


class SurveyForm(forms.Form):
    """A new survey: its code, title in each language, kind and cluster."""

    scoped_choices = ("cluster",)

    code = forms.SlugField(
        label=_("Code"), max_length=60, help_text=_("Letters, digits and hyphens: the form id.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Survey.Kind.choices)
    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.none(),
        label=_("Cluster"),
        help_text=_("Empty: shared by every cluster (administrators only)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, "title", _("Title"), True)
        self.fields["cluster"].queryset = clusters_in_scope(user).order_by("name")
        self.fields["cluster"].required = not is_admin(user)

    def survey_data(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "kind": data["kind"],
            "cluster": data.get("cluster"),
            "titles": _labels(data, "title"),
        }


class XLSFormUploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSForm file"),
        help_text=_("An .xlsx (or .xls) XLSForm, as ODK and KoBoToolbox use."),
    )


class XLSFormSurveyForm(XLSFormUploadForm):
    """A new survey from an XLSForm: of a cluster (BSO staff), or shared (administrators)."""

    scoped_choices = ("cluster",)

    cluster = forms.ModelChoiceField(
        queryset=Cluster.objects.none(),
        label=_("Cluster"),
        help_text=_("Empty: shared by every cluster (administrators only)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters_in_scope(user).order_by("name")
        self.fields["cluster"].required = not is_admin(user)


class QuestionForm(forms.Form):
    """A question of a draft version. Choices (one of, several of): one a line, its name then
    its labels, separated by "|": `women | Women | Mujeres | Mulheres`."""

    name = forms.SlugField(
        label=_("Name"),
        max_length=60,
        help_text=_("Letters, digits and underscores: the column of the XLSForm and the CSV."),
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    section = forms.SlugField(
        label=_("Section"),
        max_length=60,
        required=False,
        help_text=_("A group of questions (a self-assessment's dimension, e.g. governance)."),
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One of or several of: one choice a line, “name | English | Spanish | Portuguese”."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _language_fields(self, "label", _("Question"), True)
        _language_fields(self, "hint", _("Hint"), False)
        order = [
            "name",
            "kind",
            *[f"label_{c}" for c in LANGUAGES],
            *[f"hint_{c}" for c in LANGUAGES],
        ]
        self.order_fields([*order, "required", "section", "choices"])

    @classmethod
    def initial_of(cls, question: Question) -> dict:
        initial = {
            "name": question.name,
            "kind": question.kind,
            "required": question.required,
            "section": question.section,
        }
        for code in LANGUAGES:
            initial[f"label_{code}"] = question.labels.get(code, "")
            initial[f"hint_{code}"] = question.hints.get(code, "")
        initial["choices"] = "\n".join(
            " | ".join([c.name, *[c.labels.get(code, "") for code in LANGUAGES]]).rstrip(" |")
            for c in question.choices.all()
        )
        return initial

    def clean_choices(self):
        rows = []
        for line in self.cleaned_data["choices"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            name, labels = parts[0], parts[1:]
            rows.append(
                {
                    "name": name,
                    "labels": {c: t for c, t in zip(LANGUAGES, labels, strict=False) if t}
                    or {"en": name},
                }
            )
        return rows

    def question_data(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "required": data["required"],
            "section": data["section"],
            "labels": _labels(data, "label"),
            "hints": _labels(data, "hint"),
        }


class RoundForm(forms.ModelForm):
    scoped_choices = ("cluster",)

    class Meta:
        model = Round
        fields = ["title", "version", "cluster", "audience", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        }

    def __init__(self, *args, survey: Survey, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = survey.versions.filter(
            status=SurveyVersion.Status.PUBLISHED
        ).order_by("-number")
        self.fields["version"].label_from_instance = lambda v: _("Version %(n)d") % {"n": v.number}
        self.fields["version"].empty_label = None
        self.fields["cluster"].queryset = clusters_in_scope(user).order_by("name")
        self.fields["cluster"].required = not is_admin(user)
        self.fields["cluster"].help_text = _(
            "Empty: respondents of several clusters (administrators)."
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV export"),
        help_text=_("The CSV (or .xlsx) export of ODK Central or KoBoToolbox, at most 1,000 rows."),
    )


def question_field(question: Question, partners: list[tuple[str, int, str]]) -> forms.Field:
    """The input of one question on the response page (every answer optional here: a required
    question is checked by the service, so the page and the import say the same)."""
    Kind = Question.Kind
    common = {"label": question.label, "help_text": question.hint, "required": False}
    kind = question.kind
    if kind == Kind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)
    if kind == Kind.INTEGER:
        return forms.IntegerField(
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}), **common
        )
    if kind == Kind.DECIMAL:
        return forms.DecimalField(
            max_digits=18,
            decimal_places=4,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            **common,
        )
    if kind == Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect, **common
        )
    if kind == Kind.RATING:
        return forms.ChoiceField(
            choices=[(str(i), str(i)) for i in range(1, 6)], widget=forms.RadioSelect, **common
        )
    if kind == Kind.ONE_OF:
        return forms.ChoiceField(
            choices=[(c.name, c.label) for c in question.choices.all()],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == Kind.SEVERAL_OF:
        return forms.MultipleChoiceField(
            choices=[(c.name, c.label) for c in question.choices.all()],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    return forms.MultipleChoiceField(
        choices=[(partner_key(k, pk), name) for k, pk, name in partners],
        widget=forms.CheckboxSelectMultiple,
        **common,
    )


class ResponseForm(forms.Form):
    """A response entered on a page: the respondent (a firm or organisation offered by the
    round, or a person's name), then one input per question (named q_<question name>)."""

    respondent = forms.ChoiceField(label=_("Respondent"), required=False)
    person = forms.CharField(
        label=_("Or a person's name"),
        required=False,
        max_length=200,
        help_text=_("A participant who is not in the registry."),
    )
    sex = forms.ChoiceField(
        label=_("Sex of respondent"), required=False, choices=[("", "—"), *Sex.choices]
    )
    cluster = forms.ModelChoiceField(queryset=Cluster.objects.none(), label=_("Cluster"))
    answered_on = forms.DateField(
        label=_("Answered on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args, round_: Round, questions, respondents, partners, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["respondent"].choices = [("", "—")] + [
            (partner_key(k, pk), name) for k, pk, name in respondents
        ]
        if round_.cluster_id:
            del self.fields["cluster"]
        else:
            self.fields["cluster"].queryset = clusters_in_scope(user).order_by("name")
        self.initial.setdefault("answered_on", timezone.localdate())
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q_{question.name}"] = question_field(question, partners)

    def answers(self) -> dict:
        data = self.cleaned_data
        return {q.name: data.get(f"q_{q.name}") for q in self.questions}
