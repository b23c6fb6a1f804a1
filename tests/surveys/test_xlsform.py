"""XLSForm out and back in: the same questions (names, kinds, labels in three languages,
sections, choices); pyxform's refusals said; what is not taken listed."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from surveys.models import Question
from surveys.services import survey_from_xlsform
from surveys.shipped import shipped_surveys_install
from surveys.xlsform import XLSFormRefused, xlsform_read, xlsform_workbook
from tests.surveys.helpers import make_survey

pytestmark = pytest.mark.django_db


def _file(data: bytes, name="form.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def _questions(version):
    return [
        (
            q.name,
            q.kind,
            q.labels,
            q.hints,
            q.required,
            q.section,
            [(c.name, c.labels) for c in q.choices.all()],
        )
        for q in version.questions.prefetch_related("choices").order_by("position")
    ]


def test_an_exported_version_imports_back_with_the_same_questions(world):
    survey = make_survey()
    version = survey.versions.get()

    read = xlsform_read(_file(xlsform_workbook(version)))
    again = survey_from_xlsform(read=read, survey=survey)

    assert again.number == 2 and again.is_draft
    assert _questions(again) == _questions(version)
    assert again.sections == {"usefulness": {"en": "Usefulness", "es": "Utilidad"}}
    assert read.warnings == []
    assert (read.code, read.title) == ("firm-survey", "Firm survey")


def test_the_shipped_self_assessment_makes_the_round_trip_in_three_languages(world):
    assessment = shipped_surveys_install()[0]
    version = assessment.versions.get()

    again = survey_from_xlsform(
        read=xlsform_read(_file(xlsform_workbook(version))), survey=assessment
    )

    assert _questions(again) == _questions(version)
    assert set(again.questions.first().labels) == {"en", "es", "pt"}
    assert list(again.sections) == ["governance", "strategy", "services", "financing", "results"]


def test_the_workbook_names_odk_types_and_the_respondents_choices(world):
    version = make_survey().versions.get()

    book = load_workbook(
        io.BytesIO(
            xlsform_workbook(
                version, partners=[("firm", 7, "Bodega")], respondents=[("firm", 7, "Bodega")]
            )
        )
    )
    types = {row[1]: row[0] for row in book["survey"].iter_rows(min_row=2, values_only=True)}
    choices = [(r[0], r[1]) for r in book["choices"].iter_rows(min_row=2, values_only=True)]

    assert types["cb_respondent"] == "select_one respondents"
    assert types["exports"] == "select_one yes_no"
    assert types["satisfaction"] == "select_one rating5"
    assert types["services"] == "select_multiple services"
    assert types["partners"] == "select_multiple cooperation"
    assert types["usefulness"] == "begin group" and types[None] == "end group"
    assert ("cooperation", "firm_7") in choices and ("cooperation", "none") in choices
    assert ("respondents", "firm_7") in choices


def _form(rows, choices=()):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for row in rows:
        sheet.append(row)
    if choices:
        sheet2 = book.create_sheet("choices")
        sheet2.append(["list_name", "name", "label"])
        for row in choices:
            sheet2.append(row)
    out = io.BytesIO()
    book.save(out)
    return _file(out.getvalue())


def test_a_form_pyxform_refuses_is_refused_with_its_message(world):
    with pytest.raises(XLSFormRefused, match="XLSForm"):
        xlsform_read(_form([["select_one missing_list", "q", "Q"]]))


def test_a_file_that_is_no_workbook_is_refused(world):
    with pytest.raises(XLSFormRefused):
        xlsform_read(_file(b"not a workbook at all"))


def test_types_not_taken_are_listed_and_metadata_left_silently(world):
    read = xlsform_read(
        _form(
            [
                ["start", "start", ""],
                ["integer", "workers", "Workers"],
                ["date", "visit", "Visit date"],
                ["select_one yn", "women", "Women-led?"],
            ],
            [["yn", "yes", "Yes"], ["yn", "no", "No"]],
        )
    )

    assert [(q["name"], q["kind"]) for q in read.questions] == [
        ("workers", Question.Kind.INTEGER),
        ("women", Question.Kind.YES_NO),
    ]
    assert len(read.warnings) == 1 and "visit" in read.warnings[0]
