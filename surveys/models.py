"""Surveys: questionnaires in versions (their questions and choices, labels in several
languages), rounds (a version run over a span of dates for a set of respondents), responses
(one respondent's answers in a round) and the ties named by "who do you cooperate with"
answers.

A response belongs to a cluster (the scope rule) and names its respondent: a firm or a BSO of
the registry (so that its answers link across rounds: the panel), or a person by name.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bsos.models import BSO
from clusters.models import Cluster
from core.models import TimeStampedModel
from firms.models import Firm

LANGUAGES = ("en", "es", "pt")


def in_language(labels: dict | None, language: str | None = None) -> str:
    """The label in the given (or the active) language, else English, else any."""
    labels = labels or {}
    language = (language or get_language() or "en")[:2]
    return labels.get(language) or labels.get("en") or next(iter(labels.values()), "")


class Survey(TimeStampedModel):
    """A questionnaire, whose questions live in its versions. A survey of no cluster is shared
    (the shipped ones; written by administrators); one of a cluster is that cluster's."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("Survey")
        SELF_ASSESSMENT = "self_assessment", _("Cluster-organisation self-assessment")
        TRAINING = "training", _("Training participant survey")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    titles = models.JSONField(_("title"), default=dict)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("cluster"),
        help_text=_("Empty: shared by every cluster (administrators write it)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("survey-detail", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self.titles) or self.code


class SurveyVersion(TimeStampedModel):
    """A survey's questions as they stand in one version: a draft changes, a published version
    is what rounds run and never changes (a change is a new version)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="versions", verbose_name=_("survey")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Section name -> labels by language (XLSForm groups; a self-assessment's dimensions).
    sections = models.JSONField(_("sections"), default=dict, blank=True)

    class Meta:
        ordering = ["survey", "-number"]
        verbose_name = _("survey version")
        verbose_name_plural = _("survey versions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")
        ]

    def __str__(self):
        return f"{self.survey} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def section_label(self, name: str) -> str:
        return in_language(self.sections.get(name)) or name


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        INTEGER = "integer", _("Whole number")
        DECIMAL = "decimal", _("Decimal number")
        YES_NO = "yes_no", _("Yes / no")
        ONE_OF = "one_of", _("One of a list")
        SEVERAL_OF = "several_of", _("Several of a list")
        RATING = "rating", _("Rating 1-5")
        COOPERATION = "cooperation", _("Firms and organisations cooperated with")

    version = models.ForeignKey(
        SurveyVersion, on_delete=models.CASCADE, related_name="questions", verbose_name=_("version")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.SlugField(
        _("name"),
        max_length=60,
        help_text=_("Letters, digits and underscores: the column of the XLSForm and the CSV."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    labels = models.JSONField(_("question"), default=dict)
    hints = models.JSONField(_("hint"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    section = models.SlugField(_("section"), max_length=60, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="survey_question_name_unique")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.labels) or self.name

    @property
    def hint(self) -> str:
        return in_language(self.hints)

    @property
    def has_choices(self) -> bool:
        return self.kind in (self.Kind.ONE_OF, self.Kind.SEVERAL_OF)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=60)
    labels = models.JSONField(_("label"), default=dict)

    class Meta:
        ordering = ["question", "position", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="survey_choice_name_unique")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.labels) or self.name


class Round(TimeStampedModel):
    """A survey version run over a span of dates for a set of respondents. A round of a cluster
    asks that cluster's respondents; a round of no cluster asks several (each response names
    its cluster), and is written by administrators."""

    class Audience(models.TextChoices):
        CLUSTER_FIRMS = "cluster_firms", _("Firms of the cluster")
        PARTICIPANTS = "participants", _("Participants of activities")
        ORGANISATIONS = "organisations", _("Cluster organisations")

    version = models.ForeignKey(
        SurveyVersion, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("version")
    )
    title = models.CharField(_("title"), max_length=200)
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_rounds",
        verbose_name=_("cluster"),
    )
    audience = models.CharField(_("respondents"), max_length=20, choices=Audience.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="survey_round_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("round-detail", args=[self.pk])


class Sex(models.TextChoices):
    FEMALE = "female", _("Woman")
    MALE = "male", _("Man")
    OTHER = "other", _("Other")


class Response(TimeStampedModel):
    """One respondent's answers in a round. The respondent is a firm or a BSO of the registry
    (their answers link across rounds by its id) or a person named in `person`."""

    class Source(models.TextChoices):
        PAGE = "page", _("Entered on the page")
        IMPORT = "import", _("Imported from ODK / KoBoToolbox")
        API = "api", _("API")

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round")
    )
    cluster = models.ForeignKey(
        Cluster,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("cluster"),
    )
    firm = models.ForeignKey(
        Firm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("firm"),
    )
    bso = models.ForeignKey(
        BSO,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("organisation"),
    )
    person = models.CharField(_("person"), max_length=200, blank=True)
    sex = models.CharField(_("sex of respondent"), max_length=10, choices=Sex.choices, blank=True)
    answered_on = models.DateField(_("answered on"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    external_id = models.CharField(
        _("ODK instance id"), max_length=100, blank=True, help_text=_("The collecting app's id.")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(firm__isnull=True) | Q(bso__isnull=True),
                name="survey_response_one_respondent",
                violation_error_message=_("A respondent is a firm or an organisation, not both."),
            ),
            models.UniqueConstraint(
                fields=["round", "firm"],
                condition=Q(firm__isnull=False),
                name="survey_response_firm_once",
                violation_error_message=_("This firm has already answered this round."),
            ),
            # An organisation answers once per cluster it speaks for (a BSO may lead several).
            models.UniqueConstraint(
                fields=["round", "bso", "cluster"],
                condition=Q(bso__isnull=False),
                name="survey_response_bso_once",
                violation_error_message=_(
                    "This organisation has already answered this round for this cluster."
                ),
            ),
            models.UniqueConstraint(
                fields=["round", "external_id"],
                condition=~Q(external_id=""),
                name="survey_response_instance_once",
                violation_error_message=_("This submission has already been imported."),
            ),
        ]

    def __str__(self):
        return f"{self.respondent} · {self.round}"

    def get_absolute_url(self):
        return reverse("response-detail", args=[self.pk])

    @property
    def respondent(self) -> str:
        return str(self.firm or self.bso or self.person or _("Anonymous respondent"))

    @property
    def registry_key(self) -> str:
        """The respondent's registry id ("firm_12", "bso_3"), empty for a person."""
        if self.firm_id:
            return f"firm_{self.firm_id}"
        if self.bso_id:
            return f"bso_{self.bso_id}"
        return ""


class Answer(models.Model):
    """One question's answer: text (text, one of), a number (numbers, ratings, yes/no as 1/0)
    or names of choices (several of); cooperation answers list their ties."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(
        _("number"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self):
        return f"{self.question.name}: {self.text or self.number or self.choices}"


class Tie(models.Model):
    """A firm or organisation named in a "who do you cooperate with" answer."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="ties", verbose_name=_("answer")
    )
    # Named relations (not "+"): a firm merge (firms.services.firm_merge) moves every relation
    # it finds, and hidden ones it would not find.
    firm = models.ForeignKey(
        Firm, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_ties"
    )
    bso = models.ForeignKey(
        BSO, on_delete=models.CASCADE, null=True, blank=True, related_name="survey_ties"
    )

    class Meta:
        verbose_name = _("cooperation tie")
        verbose_name_plural = _("cooperation ties")
        constraints = [
            models.CheckConstraint(
                condition=Q(firm__isnull=True, bso__isnull=False)
                | Q(firm__isnull=False, bso__isnull=True),
                name="survey_tie_one_partner",
            )
        ]

    def __str__(self):
        return str(self.firm or self.bso)
