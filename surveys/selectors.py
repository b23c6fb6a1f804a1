"""Reads of surveys: scoped lists, a round's respondents, its results per question (counts,
shares, means, distributions and breakdowns, with the small-group rule), the panel (one
respondent across rounds), self-assessment scores per dimension, and the cooperation ties that
the collaboration network reads (`cooperation_ties`).

The small-group rule (DESIGN.md: the benchmarking rule): a group of fewer than
MIN_GROUP respondents who answered a question shows no figure, neither the round's total nor
any breakdown (by cluster, country, sex of respondent, firm size). Blanks are not in any
denominator: "17 of 23, 74%" means 17 of the 23 respondents who answered the question.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.scopes import (
    bsos_in_scope,
    clusters_in_scope,
    firms_in_scope,
    is_admin,
    may_write_field_data,
)
from bsos.models import BSO
from firms.models import Firm, Membership, SizeClass
from surveys.models import (
    Answer,
    Choice,
    Question,
    Response,
    Round,
    Sex,
    Survey,
    SurveyVersion,
    Tie,
)

MIN_GROUP = 3
HUNDRED = Decimal(100)

# The breakdowns of every question's results: key -> its heading.
BREAKDOWNS = (
    ("cluster", gettext_lazy("Cluster")),
    ("country", gettext_lazy("Country")),
    ("sex", gettext_lazy("Sex of respondent")),
    ("size", gettext_lazy("Firm size")),
)


# --- Scope -----------------------------------------------------------------------------------


def surveys_in_scope(user) -> QuerySet[Survey]:
    """Shared surveys (of no cluster) and those of the user's clusters; none for anonymous."""
    if not user.is_authenticated or not user.is_active:
        return Survey.objects.none()
    if is_admin(user):
        return Survey.objects.all()
    return Survey.objects.filter(
        Q(cluster__isnull=True) | Q(cluster__in=clusters_in_scope(user).values("pk"))
    )


def rounds_in_scope(user) -> QuerySet[Round]:
    """Rounds of the user's clusters, and rounds of no cluster (whose responses each user reads
    only in scope)."""
    if not user.is_authenticated or not user.is_active:
        return Round.objects.none()
    if is_admin(user):
        return Round.objects.all()
    return Round.objects.filter(
        Q(cluster__isnull=True) | Q(cluster__in=clusters_in_scope(user).values("pk"))
    )


def responses_in_scope(user) -> QuerySet[Response]:
    """Responses of respondents in the user's clusters."""
    if not user.is_authenticated or not user.is_active:
        return Response.objects.none()
    if is_admin(user):
        return Response.objects.all()
    return Response.objects.filter(cluster__in=clusters_in_scope(user).values("pk"))


def may_write_survey(user, survey: Survey) -> bool:
    """Shared surveys: administrators; a cluster's survey: field writers of the cluster."""
    if not may_write_field_data(user):
        return False
    if is_admin(user):
        return True
    return (
        survey.cluster_id is not None
        and clusters_in_scope(user).filter(pk=survey.cluster_id).exists()
    )


def may_write_round(user, round_: Round) -> bool:
    """Field writers of the round's cluster; a round of no cluster: administrators."""
    if not may_write_field_data(user):
        return False
    if is_admin(user):
        return True
    return (
        round_.cluster_id is not None
        and clusters_in_scope(user).filter(pk=round_.cluster_id).exists()
    )


# --- Lists -----------------------------------------------------------------------------------


def survey_list(user) -> QuerySet[Survey]:
    """Surveys in scope, with their cluster, latest version number and number of rounds."""
    return (
        surveys_in_scope(user)
        .select_related("cluster")
        .annotate(
            latest_version=Max("versions__number"),
            rounds_count=Count("versions__rounds", distinct=True),
        )
        .order_by("code")
    )


def survey_detail(user) -> QuerySet[Survey]:
    versions = SurveyVersion.objects.annotate(
        questions_count=Count("questions", distinct=True),
        rounds_count=Count("rounds", distinct=True),
    ).order_by("-number")
    return (
        surveys_in_scope(user)
        .select_related("cluster")
        .prefetch_related(Prefetch("versions", versions))
    )


def version_questions(version: SurveyVersion) -> QuerySet[Question]:
    return version.questions.prefetch_related(
        Prefetch("choices", Choice.objects.order_by("position", "pk"))
    ).order_by("position", "pk")


def round_list(user) -> QuerySet[Round]:
    """Rounds in scope with their survey, cluster and the number of responses in scope."""
    responses = Q(responses__in=responses_in_scope(user).values("pk"))
    return (
        rounds_in_scope(user)
        .select_related("version__survey", "cluster")
        .annotate(responses_count=Count("responses", filter=responses, distinct=True))
        .order_by("-starts_on", "-pk")
    )


def response_list(user) -> QuerySet[Response]:
    """Responses in scope with their respondent, cluster and round, answers and ties
    prefetched."""
    answers = (
        Answer.objects.select_related("question")
        .prefetch_related("ties")
        .order_by("question__position", "question_id")
    )
    return (
        responses_in_scope(user)
        .select_related("round__version__survey", "cluster", "firm", "bso")
        .prefetch_related(Prefetch("answers", answers))
        .order_by("round", "pk")
    )


def round_responses(round_: Round, user) -> QuerySet[Response]:
    return (
        responses_in_scope(user)
        .filter(round=round_)
        .select_related("cluster", "firm", "bso")
        .order_by("pk")
    )


def respondent_candidates(round_: Round, user) -> tuple[QuerySet[Firm], QuerySet[BSO]]:
    """Who may answer a round, as the page offers them (in the user's scope): the firms of the
    cluster (members during the round) or those that took part in its activities in the span,
    and the organisations that support the cluster."""
    clusters = (
        clusters_in_scope(user).filter(pk=round_.cluster_id)
        if round_.cluster_id
        else clusters_in_scope(user)
    )
    members = Membership.objects.filter(
        cluster__in=clusters.values("pk"), since__lte=round_.ends_on
    ).filter(Q(until__isnull=True) | Q(until__gte=round_.starts_on))
    firms = Firm.objects.filter(pk__in=members.values("firm_id"))
    if round_.audience == Round.Audience.PARTICIPANTS:
        took_part = Firm.objects.filter(
            activities__cluster__in=clusters.values("pk"),
            activities__date__range=(round_.starts_on, round_.ends_on),
        )
        firms = firms | took_part
    firms = firms.filter(pk__in=firms_in_scope(user).values("pk")).distinct().order_by("name")
    bsos = (
        bsos_in_scope(user)
        .filter(supports__cluster__in=clusters.values("pk"))
        .distinct()
        .order_by("name")
    )
    return firms, bsos


def cooperation_partners(round_: Round, user) -> tuple[QuerySet[Firm], QuerySet[BSO]]:
    """The firms and organisations a cooperation answer may name, as offered on the page and in
    the XLSForm: the cluster's member firms and its organisations (of the user's scope)."""
    round_ = Round(
        cluster_id=round_.cluster_id,
        audience=Round.Audience.CLUSTER_FIRMS,
        starts_on=round_.starts_on,
        ends_on=round_.ends_on,
    )
    return respondent_candidates(round_, user)


# --- Results ---------------------------------------------------------------------------------


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal, rounded half up (17 / 23: 73.9)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values) / Decimal(len(values))).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Count_:
    """One line of a distribution: a choice (or a rating), how many chose it, of how many."""

    name: str
    label: str
    count: int
    answered: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.count, self.answered)


@dataclass
class Summary:
    """One question's figures for a group of respondents (the round, or one breakdown group).
    `hidden`: fewer than MIN_GROUP answered, so no figure is shown."""

    label: str
    answered: int
    hidden: bool
    counts: list[Count_] = field(default_factory=list)
    mean: Decimal | None = None
    yes: int | None = None

    @property
    def yes_percent(self) -> Decimal | None:
        return None if self.yes is None else percent(self.yes, self.answered)


@dataclass
class QuestionResult:
    question: Question
    total: Summary
    respondents: int  # responses of the round in scope, answered or not
    breakdowns: list[tuple[str, str, list[Summary]]] = field(default_factory=list)

    @property
    def blank(self) -> int:
        return self.respondents - self.total.answered


def _values(question: Question, answers: list[Answer]) -> list:
    Kind = Question.Kind
    if question.kind in (Kind.ONE_OF,):
        return [a.text for a in answers]
    if question.kind in (Kind.SEVERAL_OF, Kind.COOPERATION):
        return [a.choices for a in answers]
    if question.kind == Kind.TEXT:
        return [a.text for a in answers]
    return [a.number for a in answers]


def summarise(question: Question, answers: list[Answer], label: str = "") -> Summary:
    """The figures of one group's answers to a question (blanks are simply not among them)."""
    n = len(answers)
    summary = Summary(label=label, answered=n, hidden=n < MIN_GROUP)
    if summary.hidden:
        return summary
    Kind = Question.Kind
    values = _values(question, answers)
    if question.kind == Kind.YES_NO:
        summary.yes = sum(1 for v in values if v == 1)
        summary.counts = [
            Count_("yes", _("Yes"), summary.yes, n),
            Count_("no", _("No"), n - summary.yes, n),
        ]
    elif question.kind == Kind.ONE_OF:
        tally = Counter(values)
        summary.counts = [Count_(c.name, c.label, tally[c.name], n) for c in question.choices.all()]
    elif question.kind == Kind.SEVERAL_OF:
        tally = Counter(name for names in values for name in names)
        summary.counts = [Count_(c.name, c.label, tally[c.name], n) for c in question.choices.all()]
    elif question.kind == Kind.RATING:
        tally = Counter(int(v) for v in values)
        summary.counts = [Count_(str(r), str(r), tally[r], n) for r in range(1, 6)]
        summary.mean = _mean(values)
    elif question.kind in (Kind.INTEGER, Kind.DECIMAL):
        summary.mean = _mean(values)
    elif question.kind == Kind.COOPERATION:
        summary.mean = _mean([Decimal(len(v)) for v in values])  # partners named, on average
    return summary


def _group_keys(response: Response) -> dict[str, tuple[str, str]]:
    """The respondent's group in each breakdown: key -> (group id, label)."""
    sex = response.sex
    size = response.firm.size_class if response.firm_id else ""
    return {
        "cluster": (str(response.cluster_id), response.cluster.name),
        "country": (str(response.cluster.country_id), response.cluster.country.name),
        "sex": (sex or "-", Sex(sex).label if sex else _("Not said")),
        "size": (
            size or "-",
            SizeClass(size).label if size else _("Not a firm, or size not known"),
        ),
    }


def round_results(round_: Round, responses: QuerySet[Response]) -> list[QuestionResult]:
    """Every question's results in the round, over `responses` (those of the round in the
    reader's scope), with the breakdowns. Four queries, whatever the number of responses."""
    questions = list(version_questions(round_.version))
    rows = list(
        responses.filter(round=round_).select_related("cluster__country", "firm").order_by("pk")
    )
    answers = Answer.objects.filter(response__in=[r.pk for r in rows]).only(
        "response_id", "question_id", "text", "number", "choices"
    )
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_question[answer.question_id].append(answer)
    groups = {r.pk: _group_keys(r) for r in rows}
    results = []
    for question in questions:
        given = by_question.get(question.pk, [])
        result = QuestionResult(
            question=question,
            total=summarise(question, given, _("All respondents")),
            respondents=len(rows),
        )
        for key, heading in BREAKDOWNS:
            split: dict[str, list[Answer]] = defaultdict(list)
            labels: dict[str, str] = {}
            for answer in given:
                group, label = groups[answer.response_id][key]
                split[group].append(answer)
                labels[group] = label
            summaries = [
                summarise(question, split[g], labels[g])
                for g in sorted(split, key=lambda g: str(labels[g]))
            ]
            result.breakdowns.append((key, str(heading), summaries))
        results.append(result)
    return results


def results_csv_rows(results: Iterable[QuestionResult]) -> Iterable[list]:
    """The results as rows for a download (core.exports): one row per question, group and
    figure; a hidden group gives its size "< 3" and no figure."""
    for result in results:
        question = result.question
        groups = [("", "", result.total)] + [
            (str(heading), s.label, s)
            for _key, heading, summaries in result.breakdowns
            for s in summaries
        ]
        for breakdown, group, summary in groups:
            base = [question.name, question.label, breakdown, group]
            if summary.hidden:
                yield [*base, f"< {MIN_GROUP}", "", "", "", ""]
                continue
            if summary.mean is not None:
                yield [*base, summary.answered, _("mean"), "", "", summary.mean]
            for count in summary.counts:
                yield [*base, summary.answered, count.label, count.count, count.percent, ""]
            if summary.mean is None and not summary.counts:
                yield [*base, summary.answered, "", "", "", ""]


def results_csv_headers() -> list[str]:
    return [
        _("Question"),
        _("Question text"),
        _("Breakdown"),
        _("Group"),
        _("Answered"),
        _("Answer"),
        _("Count"),
        _("Percent of those who answered"),
        _("Mean"),
    ]


# --- Panel: one respondent across rounds -----------------------------------------------------


def panel(response: Response, user) -> QuerySet[Response]:
    """The same respondent's responses (by its registry id: the firm or the organisation) in
    the rounds of the same survey, oldest round first; none for a person."""
    if not (response.firm_id or response.bso_id):
        return Response.objects.none()
    same = Q(firm_id=response.firm_id) if response.firm_id else Q(bso_id=response.bso_id)
    return (
        responses_in_scope(user)
        .filter(same, round__version__survey_id=response.round.version.survey_id)
        .select_related("round")
        .order_by("round__starts_on", "round_id")
    )


# --- Self-assessment: scores per dimension ---------------------------------------------------


@dataclass
class DimensionScores:
    """A row of the self-assessment comparison: a round, a cluster (or the peer mean of the
    round's clusters), and the mean rating of each dimension's questions."""

    round: Round
    label: str
    scores: dict[str, Decimal | None]
    respondents: int
    hidden: bool = False
    values: list[Decimal | None] = field(default_factory=list)  # in the columns' order


def dimension_scores(survey: Survey, user) -> tuple[list[tuple[str, str]], list[DimensionScores]]:
    """Each section (dimension) of a self-assessment and, per round: each cluster of the user's
    scope that answered (its own assessment, shown to those who have it in scope), then the mean
    of all the clusters that answered the round (peers, whatever the reader's scope), hidden
    when fewer than MIN_GROUP clusters answered. A response's score in a dimension is the mean
    of its ratings there; the peer score is the mean of the clusters' scores. Four queries."""
    rounds = list(
        Round.objects.filter(version__survey=survey)
        .select_related("version")
        .order_by("starts_on", "pk")
    )
    answers = (
        Answer.objects.filter(
            response__round__in=rounds,
            question__kind=Question.Kind.RATING,
            number__isnull=False,
        )
        .exclude(question__section="")
        .values(
            "response_id",
            "response__round_id",
            "response__cluster_id",
            "response__cluster__name",
            "question__section",
            "number",
        )
    )
    in_scope = set(clusters_in_scope(user).values_list("pk", flat=True))
    # Dimensions in the order of their first question (a JSON object's keys keep no order in
    # PostgreSQL), labelled by the latest version that names them.
    sections: dict[str, str] = {}
    ordered = (
        Question.objects.filter(version__survey=survey)
        .exclude(section="")
        .order_by("-version__number", "position", "pk")
        .values_list("section", flat=True)
    )
    for name in ordered:
        sections.setdefault(name, "")
    for round_ in sorted(rounds, key=lambda r: -r.version.number):
        for name in sections:
            if not sections[name] and name in round_.version.sections:
                sections[name] = round_.version.section_label(name)
    per_response: dict[tuple, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, str] = {}
    for row in answers:
        key = (row["response__round_id"], row["response__cluster_id"], row["response_id"])
        per_response[key][row["question__section"]].append(row["number"])
        names[row["response__cluster_id"]] = row["response__cluster__name"]
        sections.setdefault(row["question__section"], "")
    columns = [(name, label or name) for name, label in sections.items()]
    table: list[DimensionScores] = []
    for round_ in rounds:
        clusters: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
        for (round_id, cluster_id, _response), dims in per_response.items():
            if round_id != round_.pk:
                continue
            for name, values in dims.items():
                clusters[cluster_id][name].append(_mean(values))
        cluster_scores = {
            cluster_id: {name: _mean(dims.get(name, [])) for name, _l in columns}
            for cluster_id, dims in clusters.items()
        }
        for cluster_id in sorted(cluster_scores, key=lambda c: names[c]):
            if cluster_id in in_scope:
                table.append(
                    DimensionScores(round_, names[cluster_id], cluster_scores[cluster_id], 1)
                )
        n = len(cluster_scores)
        peer = {
            name: _mean([s[name] for s in cluster_scores.values() if s[name] is not None])
            for name, _l in columns
        }
        table.append(
            DimensionScores(
                round_,
                _("All clusters answering"),
                peer if n >= MIN_GROUP else {},
                n,
                n < MIN_GROUP,
            )
        )
    for row in table:
        row.values = [None if row.hidden else row.scores.get(name) for name, _l in columns]
    return columns, table


# --- The collaboration network's input -------------------------------------------------------


def question_figure(
    question: Question, *, cluster_id: int, starts_on, ends_on
) -> tuple[Round, Summary] | None:
    """A cluster's answers to a question in the latest round of its questionnaire version that
    ended between the two dates, summarised (a KPI derived from a survey reads it); None when
    no such round has answers of the cluster, or fewer than MIN_GROUP answered (a KPI value of
    one or two respondents would be their own answers). Three queries."""
    round_ = (
        Round.objects.filter(version_id=question.version_id, ends_on__range=(starts_on, ends_on))
        .filter(Q(cluster_id=cluster_id) | Q(responses__cluster_id=cluster_id))
        .select_related("version__survey")
        .order_by("-ends_on", "-pk")
        .first()
    )
    if round_ is None:
        return None
    answers = list(
        Answer.objects.filter(
            question=question, response__round=round_, response__cluster_id=cluster_id
        )
    )
    summary = summarise(question, answers)
    return None if summary.hidden else (round_, summary)


def cooperation_ties(round_: Round) -> list[tuple[int, str, int]]:
    """The ties named in a round's "which firms / organisations do you cooperate with" answers,
    for the collaboration network (monitoring/networks reads them).

    Returns (respondent firm id, other kind, other id) for every partner a firm respondent
    named: other kind is "firm" or "bso", other id the registry id of that firm or BSO.
    Responses of an organisation or a person are left out (the network's nodes are firms and
    the organisations they name). A tie is listed as named: A naming B and B naming A are two
    tuples; a firm naming itself is left out. Sorted, each tuple once; every response of the
    round, whatever the reader's scope (scope the round before calling). One query.

    The round gives the rest: `round_.cluster` (None for a round of several clusters, whose
    responses each name their cluster: `Response.cluster`), and `round_.starts_on` /
    `round_.ends_on`, the span of dates for joining activities logged in the same span.
    """
    return cooperation_ties_of_rounds([round_.pk]).get(round_.pk, [])


def cooperation_ties_of_rounds(
    round_ids: Iterable[int], *, cluster_id: int | None = None
) -> dict[int, list[tuple[int, str, int]]]:
    """cooperation_ties for several rounds at once (round id -> its ties), in one query; with
    `cluster_id`, only the responses given for that cluster (a round of several clusters)."""
    rows = Tie.objects.filter(
        answer__response__round_id__in=list(round_ids),
        answer__response__firm__isnull=False,
        answer__question__kind=Question.Kind.COOPERATION,
    )
    if cluster_id is not None:
        rows = rows.filter(answer__response__cluster_id=cluster_id)
    ties: dict[int, set] = defaultdict(set)
    for round_id, firm_id, other_firm, other_bso in rows.values_list(
        "answer__response__round_id", "answer__response__firm_id", "firm_id", "bso_id"
    ).distinct():
        if other_firm is not None:
            if other_firm != firm_id:
                ties[round_id].add((firm_id, "firm", other_firm))
        else:
            ties[round_id].add((firm_id, "bso", other_bso))
    return {round_id: sorted(found) for round_id, found in ties.items()}


def cooperation_rounds(cluster_id: int) -> QuerySet[Round]:
    """Rounds of a cluster (or with a response of it) whose questionnaire asks who the firms
    cooperate with, oldest first: the collaboration network's rounds."""
    return (
        Round.objects.filter(Q(cluster_id=cluster_id) | Q(responses__cluster_id=cluster_id))
        .filter(version__questions__kind=Question.Kind.COOPERATION)
        .distinct()
        .order_by("starts_on", "pk")
    )


def rounds_of_cluster(cluster_id: int) -> QuerySet[Round]:
    """Rounds of a cluster, or with a response of it, newest first (the network's round
    picker)."""
    return (
        Round.objects.filter(Q(cluster_id=cluster_id) | Q(responses__cluster_id=cluster_id))
        .distinct()
        .select_related("version__survey")
        .order_by("-starts_on", "-pk")
    )
