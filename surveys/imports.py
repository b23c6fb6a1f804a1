"""Import of a round's responses from an ODK Central or KoBoToolbox CSV export (or a workbook
laid out the same way): every row or none, problems by row (core.sheets).

Columns: one per question, named by the question's name, alone or after its group
(`governance/q1` as KoBoToolbox writes it, `governance-q1` as ODK Central does); a several-of
or cooperation answer is its choices' names separated by spaces (the exports' default). The
respondent: `cb_respondent` (`firm_<id>` or `bso_<id>` from the registry, as the exported
XLSForm offers them, else a person's name), `cb_sex` (female, male, other) and, for a round of
several clusters, `cb_cluster` (a cluster's code; a firm's own cluster when left out). The
submission's id (`KEY`, `instanceID`, `meta/instanceID`, `_uuid`) is kept, so a submission
imported twice is refused; its date (`SubmissionDate`, `_submission_time`, `end`) is the answer
date. Other columns are left alone.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bsos.models import BSO
from clusters.models import Cluster
from core.sheets import ImportProblem, ImportResult, SheetRefused, cell_text, sheet_table
from firms.models import Firm, Membership
from surveys.answers import parse_partner
from surveys.models import Response, Round, Sex
from surveys.services import ResponseInput, responses_create

MAX_ROWS = 1000
ID_COLUMNS = ("key", "instanceid", "meta/instanceid", "meta-instanceid", "_uuid", "__id")
DATE_COLUMNS = ("submissiondate", "_submission_time", "end", "today")
SEXES = {
    "female": Sex.FEMALE, "f": Sex.FEMALE, "woman": Sex.FEMALE, "mujer": Sex.FEMALE,
    "mulher": Sex.FEMALE, "male": Sex.MALE, "m": Sex.MALE, "man": Sex.MALE,
    "hombre": Sex.MALE, "homem": Sex.MALE, "other": Sex.OTHER, "otro": Sex.OTHER,
    "outro": Sex.OTHER,
}  # fmt: skip


def _columns(header: list, round_: Round) -> dict[int, str]:
    """Column index -> a question's name, or one of the respondent's keys."""
    questions = {q.name: q for q in round_.version.questions.all()}
    known = {}
    for name, question in questions.items():
        known[name.lower()] = name
        if question.section:
            known[f"{question.section}/{name}".lower()] = name
            known[f"{question.section}-{name}".lower()] = name
    for key in ("cb_respondent", "cb_sex", "cb_cluster"):
        known[key] = key
    columns = {}
    for index, value in enumerate(header):
        text = cell_text(value).lower()
        tail = text.rsplit("/", 1)[-1]
        if text in ID_COLUMNS:
            columns.setdefault(index, "_id")
        elif text in DATE_COLUMNS:
            columns[index] = "_date"
        elif text in known:
            columns[index] = known[text]
        elif tail in known and tail.startswith("cb_"):
            columns[index] = known[tail]
    if "cb_respondent" not in columns.values():
        raise SheetRefused(
            _("The first row must name the columns; missing: %(keys)s.") % {"keys": "cb_respondent"}
        )
    if not set(columns.values()) & set(questions):
        raise SheetRefused(_("No column names a question of this survey."))
    return columns


def _date(text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(_("Write the date as YYYY-MM-DD.")) from None


def _refs(rows, clusters: QuerySet[Cluster], firms: QuerySet[Firm], bsos: QuerySet[BSO]) -> dict:
    keys = {cell_text(raw.get("cb_respondent")) for _n, raw in rows}
    firm_ids, bso_ids = set(), set()
    for key in keys:
        try:
            kind, pk = parse_partner(key)
        except ValueError:
            continue
        (firm_ids if kind == "firm" else bso_ids).add(pk)
    firm_rows = {f.pk: f for f in firms.filter(pk__in=firm_ids)}
    cluster_rows = {c.code: c for c in clusters}
    by_pk = {c.pk: c for c in cluster_rows.values()}
    own_cluster = {}
    for membership in Membership.objects.filter(firm_id__in=firm_rows, cluster__in=by_pk).order_by(
        "-since"
    ):
        own_cluster.setdefault(membership.firm_id, by_pk[membership.cluster_id])
    return {
        "firms": firm_rows,
        "bsos": {b.pk: b for b in bsos.filter(pk__in=bso_ids)},
        "clusters": cluster_rows,
        "own_cluster": own_cluster,
    }


def _item(number: int, raw: dict, refs: dict, round_: Round):
    problems = []
    item = ResponseInput(answers={})
    respondent = cell_text(raw.get("cb_respondent"))
    try:
        kind, pk = parse_partner(respondent)
    except ValueError:
        kind, pk = None, None
        item.person = respondent
    if kind == "firm":
        item.firm = refs["firms"].get(pk)
    elif kind == "bso":
        item.bso = refs["bsos"].get(pk)
    if kind and not (item.firm or item.bso):
        problems.append(
            ImportProblem(
                _("No firm or organisation “%(id)s” in your scope.") % {"id": respondent},
                number,
                "cb_respondent",
            )
        )
    sex = cell_text(raw.get("cb_sex")).lower()
    item.sex = SEXES.get(sex, "")
    if sex and not item.sex:
        problems.append(ImportProblem(_("Write female, male or other."), number, "cb_sex"))
    code = cell_text(raw.get("cb_cluster"))
    if code:
        item.cluster = refs["clusters"].get(code)
        if item.cluster is None:
            message = _("No cluster with the code “%(code)s” in your scope.") % {"code": code}
            problems.append(ImportProblem(message, number, "cb_cluster"))
    elif not round_.cluster_id and item.firm:
        item.cluster = refs["own_cluster"].get(item.firm.pk)
    item.external_id = cell_text(raw.get("_id"))
    try:
        item.answered_on = _date(cell_text(raw.get("_date")))
    except ValueError as error:
        problems.append(ImportProblem(str(error), number, "SubmissionDate"))
    for key, value in raw.items():
        if not key.startswith(("cb_", "_")):
            item.answers[key] = cell_text(value) if not isinstance(value, str) else value
    return item, problems


def responses_import(
    *,
    file,
    round_: Round,
    clusters: QuerySet[Cluster],
    firms: QuerySet[Firm],
    bsos: QuerySet[BSO],
    user=None,
) -> ImportResult:
    """Record every response of the export (respondents among `firms` / `bsos`, clusters among
    `clusters`: the importer's scope), or none; say what is wrong in which row."""
    try:
        table = sheet_table(
            file, wrong_kind=_("Upload the CSV export (or an .xlsx)."), max_columns=500
        )
        columns = _columns(table[0][1], round_)
    except SheetRefused as refusal:
        return ImportResult(errors=[ImportProblem(str(refusal))])
    rows = []
    for number, values in table[1:]:
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if all(cell_text(v) == "" for v in raw.values()):
            continue
        rows.append((number, raw))
    if not rows:
        return ImportResult(
            errors=[ImportProblem(_("The file has no responses below its first row."))]
        )
    if len(rows) > MAX_ROWS:
        message = _("Import at most %(n)d responses at a time.") % {"n": MAX_ROWS}
        return ImportResult(errors=[ImportProblem(message)])
    refs = _refs(rows, clusters, firms, bsos)
    problems: dict[int, list[ImportProblem]] = {}
    items = []
    for number, raw in rows:
        item, row_problems = _item(number, raw, refs, round_)
        if row_problems:
            problems[number] = row_problems
        items.append(item)
    # The answers of rows whose respondent is already refused are still checked, so that one
    # upload lists all that is wrong; then nothing is saved.
    saved, errors = responses_create(
        round_=round_, items=items, source=Response.Source.IMPORT, user=user, save=not problems
    )
    for index, fields in errors.items():
        number = rows[index][0]
        refused = {p.field for p in problems.get(number, [])}
        for key, messages in fields.items():
            column = None if key == NON_FIELD_ERRORS else _column_of(key)
            if column in refused:
                continue
            for message in messages:
                problems.setdefault(number, []).append(ImportProblem(message, number, column))
    if problems:
        return ImportResult(errors=[p for n, _raw in rows for p in problems.get(n, [])])
    return ImportResult(saved=len(saved))


def _column_of(key: str) -> str:
    return {"firm": "cb_respondent", "bso": "cb_respondent", "cluster": "cb_cluster"}.get(key, key)
