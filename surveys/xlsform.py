"""XLSForm in and out: a survey version written as an XLSForm workbook (openpyxl) that ODK
Collect and KoBoCollect fill offline, and an XLSForm read back into questions (pyxform reads
and validates it first: a form pyxform refuses is refused with pyxform's message).

What a question becomes (and is read back as):

| question       | XLSForm type                                          |
|----------------|-------------------------------------------------------|
| text           | `text`                                                |
| whole number   | `integer`                                             |
| decimal number | `decimal`                                             |
| yes / no       | `select_one yes_no` (choices `yes`, `no`)             |
| one of         | `select_one <list>`                                   |
| several of     | `select_multiple <list>`                              |
| rating 1-5     | `select_one rating5`, appearance `likert` (read back: a   |
|                | list named "rating..." whose choices are 1 to 5)      |
| cooperation    | `select_multiple cooperation` (choices `firm_<id>`, `bso_<id>`, `none`) |

Also taken: labels and hints in English, Spanish and Portuguese (`label::English (en)`,
`label::Español (es)`, `label::Português (pt)`, or a single `label`), `required`, one level of
`begin group` / `end group` (a question's section: a self-assessment's dimension, with its
label), and the settings `form_title` and `form_id`. Left out with a warning: any other
question type (date, geopoint, note, calculate...), nested groups' own nesting (their questions
are taken), repeats (their questions are not), `relevant`, `constraint`, `calculate`, choice
filters; metadata (start, end, today, deviceid...) is left out silently. Names starting with
`cb_` are the respondent's columns (cb_respondent, cb_sex, cb_cluster), not questions.
"""

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from surveys.answers import NONE_PARTNER, partner_key
from surveys.models import LANGUAGES, Question, Sex, SurveyVersion

LANGUAGE_NAMES = {"en": "English (en)", "es": "Español (es)", "pt": "Português (pt)"}
ALIASES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "portuguese": "pt",
    "português": "pt",
    "portugues": "pt",
    "default": "en",
}
RESPONDENT_PREFIX = "cb_"
METADATA = {
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "calculate", "start-geopoint", "background-audio",
}  # fmt: skip
YES_NO = "yes_no"
RATING_LIST = "rating5"
COOPERATION_LIST = "cooperation"
MAX_BYTES = 2 * 1024 * 1024


class XLSFormRefused(Exception):
    """The file is not an XLSForm we can take; str() says why."""


@dataclass
class ReadForm:
    title: str
    code: str
    questions: list[dict]
    sections: dict[str, dict]
    warnings: list[str] = field(default_factory=list)


# --- Out -------------------------------------------------------------------------------------


def _labels_row(labels: dict) -> list[str]:
    return [(labels or {}).get(code, "") for code in LANGUAGES]


def xlsform_workbook(
    version: SurveyVersion,
    *,
    partners: list[tuple[str, int, str]] = (),
    respondents: list[tuple[str, int, str]] = (),
) -> bytes:
    """The version as an XLSForm workbook. `partners` (kind, id, name): the choices of its
    cooperation questions; `respondents` (kind, id, name): the choices of the cb_respondent
    question (a text question when there are none, for a person's name)."""
    survey = version.survey
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    languages = [LANGUAGE_NAMES[c] for c in LANGUAGES]
    sheet.append(
        ["type", "name"]
        + [f"label::{name}" for name in languages]
        + [f"hint::{name}" for name in languages]
        + ["required", "appearance"]
    )
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name"] + [f"label::{name}" for name in languages])
    lists: set[str] = set()

    def add_list(name: str, rows: list[tuple[str, dict]]) -> None:
        if name in lists:
            return
        lists.add(name)
        for choice_name, labels in rows:
            choices.append([name, choice_name, *_labels_row(labels)])

    def row(kind, name, labels, hints=None, required=False, appearance=""):
        sheet.append(
            [kind, name, *_labels_row(labels), *_labels_row(hints or {}),
             "yes" if required else "", appearance]
        )  # fmt: skip

    blank = dict.fromkeys(LANGUAGES, "")
    if respondents:
        row("select_one respondents", "cb_respondent", _all(_("Respondent")), required=True)
        add_list("respondents", [(partner_key(k, pk), _all(n)) for k, pk, n in respondents])
    else:
        row("text", "cb_respondent", _all(_("Respondent's name")))
    row("select_one sex", "cb_sex", _all(_("Sex of respondent")))
    add_list("sex", [(s.value, _all(str(s.label))) for s in Sex])

    current_section = ""
    questions = list(version.questions.prefetch_related("choices").order_by("position", "pk"))
    for question in questions:
        if question.section != current_section:
            if current_section:
                row("end group", "", blank)
            if question.section:
                row("begin group", question.section, version.sections.get(question.section) or
                    _all(question.section))  # fmt: skip
            current_section = question.section
        kind, appearance = _type(question)
        row(kind, question.name, question.labels, question.hints, question.required, appearance)
        Kind = Question.Kind
        if question.kind == Kind.YES_NO:
            add_list(YES_NO, [("yes", _all(_("Yes"))), ("no", _all(_("No")))])
        elif question.kind == Kind.RATING:
            add_list(RATING_LIST, [(str(i), _all(str(i))) for i in range(1, 6)])
        elif question.kind == Kind.COOPERATION:
            rows = [(NONE_PARTNER, _all(_("None of these")))]
            rows += [(partner_key(k, pk), _all(n)) for k, pk, n in partners]
            add_list(COOPERATION_LIST, rows)
        elif question.has_choices:
            add_list(question.name, [(c.name, c.labels) for c in question.choices.all()])
    if current_section:
        row("end group", "", blank)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([survey.title, survey.code, str(version.number), LANGUAGE_NAMES["en"]])
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _all(text: str) -> dict:
    return dict.fromkeys(LANGUAGES, text)


def _type(question: Question) -> tuple[str, str]:
    Kind = Question.Kind
    return {
        Kind.TEXT: ("text", ""),
        Kind.INTEGER: ("integer", ""),
        Kind.DECIMAL: ("decimal", ""),
        Kind.YES_NO: (f"select_one {YES_NO}", ""),
        Kind.ONE_OF: (f"select_one {question.name}", ""),
        Kind.SEVERAL_OF: (f"select_multiple {question.name}", ""),
        Kind.RATING: (f"select_one {RATING_LIST}", "likert"),
        Kind.COOPERATION: (f"select_multiple {COOPERATION_LIST}", ""),
    }[question.kind]


# --- In --------------------------------------------------------------------------------------


def _language(name: str, default: str = "en") -> str | None:
    match = re.search(r"\((\w\w)\)\s*$", name)
    code = match.group(1).lower() if match else ALIASES.get(name.strip().lower())
    return code if code in LANGUAGES else (default if name == "default" else None)


def _labels(value) -> dict:
    if not value:
        return {}
    if isinstance(value, str):
        return {"en": value}
    labels = {}
    for name, text in value.items():
        code = _language(name)
        if code and text:
            labels.setdefault(code, str(text))
    return labels


def _kind(child: dict) -> str | None:
    kind = child.get("type", "")
    list_name = child.get("list_name") or child.get("itemset") or ""
    names = [c.get("name") for c in child.get("choices") or []]
    if kind in ("text", "integer", "decimal"):
        return kind
    if kind == "select one":
        if sorted(names) == ["no", "yes"]:
            return Question.Kind.YES_NO
        if list_name.startswith("rating") and names == ["1", "2", "3", "4", "5"]:
            return Question.Kind.RATING
        return Question.Kind.ONE_OF
    if kind == "select all that apply":
        if list_name == COOPERATION_LIST:
            return Question.Kind.COOPERATION
        return Question.Kind.SEVERAL_OF
    return None


def xlsform_read(file) -> ReadForm:
    """The questions of an XLSForm file (.xlsx or .xls), checked by pyxform first."""
    name = (getattr(file, "name", "") or "").lower()
    suffix = ".xls" if name.endswith(".xls") else ".xlsx"
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise XLSFormRefused(_("The file is too large: at most 2 MB."))
    if not data:
        raise XLSFormRefused(_("The file is empty."))
    warnings: list[str] = []
    try:
        result = convert(xlsform=data, file_type=suffix, warnings=warnings)
    except PyXFormError as error:
        raise XLSFormRefused(
            _("This is not an XLSForm we can read: %(error)s") % {"error": error}
        ) from None
    except Exception:
        raise XLSFormRefused(_("This file is not an XLSForm workbook (.xlsx or .xls).")) from None
    form = result._pyxform  # pyxform's parsed form (pinned version: requirements.txt)
    read = ReadForm(
        title=str(form.get("title") or ""),
        code=str(form.get("id_string") or ""),
        questions=[],
        sections={},
    )
    _walk(form.get("children") or [], "", read)
    if not read.questions:
        raise XLSFormRefused(_("The form has no question we can take."))
    return read


def _walk(children: list[dict], section: str, read: ReadForm) -> None:
    for child in children:
        kind = child.get("type", "")
        name = str(child.get("name") or "")
        if kind == "group":
            if name == "meta":
                continue
            inner = section or name
            if not section:
                read.sections[name] = _labels(child.get("label")) or {"en": name}
            _walk(child.get("children") or [], inner, read)
            continue
        if kind == "repeat":
            read.warnings.append(
                _("“%(name)s”: repeats are not taken, nor their questions.") % {"name": name}
            )
            continue
        if name.startswith(RESPONDENT_PREFIX) or kind in METADATA:
            continue
        question_kind = _kind(child)
        if question_kind is None:
            read.warnings.append(
                _("“%(name)s” (%(type)s): this type of question is not taken.")
                % {"name": name, "type": kind}
            )
            continue
        required = str((child.get("bind") or {}).get("required", "")).lower()
        item = {
            "name": name[:60],
            "kind": question_kind,
            "labels": _labels(child.get("label")) or {"en": name},
            "hints": _labels(child.get("hint")),
            "required": required in ("yes", "true", "true()"),
            "section": section,
        }
        if question_kind in (Question.Kind.ONE_OF, Question.Kind.SEVERAL_OF):
            item["choices"] = [
                {"name": str(c.get("name")), "labels": _labels(c.get("label"))}
                for c in child.get("choices") or []
            ]
        for key in ("relevant", "constraint", "calculate"):
            if (child.get("bind") or {}).get(key):
                read.warnings.append(
                    _("“%(name)s”: its %(rule)s is not taken.") % {"name": name, "rule": key}
                )
        read.questions.append(item)
